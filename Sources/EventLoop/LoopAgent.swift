/// The JavaScript diag installs in the target for the observation window (through the
/// private channel's `install`): Node's loop-delay histogram (perf_hooks'
/// monitorEventLoopDelay). Node's own eventLoopUtilization is not used: V8's profiler
/// signals, every 500 µs, break libuv's idle-time accounting (a quiet service reads 0.68
/// instead of 0.005), so the utilization comes from the profile. Reading goes through
/// one function kept under a registered symbol on globalThis; disposing of the agent (on
/// every exit path of diag) disables the histogram and deletes that function.
public enum LoopAgent {
    /// The name of the install.
    public static let name = "diag-loop"

    /// `(agent) => true`, the install's source.
    public static let source = """
    (agent) => {
      const { monitorEventLoopDelay } = agent.require('perf_hooks');
      const key = Symbol.for('diag.loop.read');
      const histogram = monitorEventLoopDelay({ resolution: \(resolutionMilliseconds) });
      histogram.enable();
      const milliseconds = (nanoseconds) => Number.isFinite(nanoseconds) ? nanoseconds / 1e6 : 0;
      Object.defineProperty(globalThis, key, {
        configurable: true, enumerable: false, writable: false,
        value: () => ({
          samples: histogram.count,
          p50: milliseconds(histogram.percentile(50)),
          p99: milliseconds(histogram.percentile(99)),
          max: milliseconds(histogram.max),
        }),
      });
      agent.onDispose(() => {
        histogram.disable();
        delete globalThis[key];
      });
      return true;
    }
    """

    /// The expression that reads the agent's figures (evaluated in the main context).
    public static let readExpression = "globalThis[Symbol.for('diag.loop.read')]()"

    /// The histogram's timer interval. Node records each interval between two of the
    /// timer's runs, so an idle loop shows about this much; the lag is what exceeds it.
    public static let resolutionMilliseconds = 10

    /// The agent's figures decoded from what `readExpression` returned.
    public static func decode(_ value: Any?) -> LoopLag? {
        guard let object = value as? [String: Any] else { return nil }
        func number(_ key: String) -> Double? {
            if let value = object[key] as? Double { return value }
            return (object[key] as? Int).map(Double.init)
        }
        guard let p50 = number("p50"), let p99 = number("p99"), let max = number("max") else { return nil }
        let resolution = Double(resolutionMilliseconds)
        return LoopLag(lagMilliseconds: .init(p50: Swift.max(p50 - resolution, 0), p99: Swift.max(p99 - resolution, 0),
                                              max: Swift.max(max - resolution, 0)),
                       samples: Int(number("samples") ?? 0))
    }
}

/// How late the loop ran over the window.
public struct LoopLag: Sendable, Equatable {
    /// Percentiles of how late the loop ran a timer, ms.
    public struct Percentiles: Codable, Sendable, Equatable {
        public var p50: Double
        public var p99: Double
        public var max: Double

        public init(p50: Double, p99: Double, max: Double) {
            self.p50 = p50
            self.p99 = p99
            self.max = max
        }
    }

    public var lagMilliseconds: Percentiles
    /// Timer runs the histogram recorded.
    public var samples: Int

    public init(lagMilliseconds: Percentiles, samples: Int) {
        self.lagMilliseconds = lagMilliseconds
        self.samples = samples
    }
}
