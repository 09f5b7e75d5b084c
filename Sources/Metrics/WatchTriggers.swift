/// What `diag watch` does when a threshold is passed.
public enum WatchAction: String, Sendable {
    /// A 10 s CPU profile (event-loop lag or CPU).
    case cpuProfile
    /// Two heap snapshots a minute apart (heap growth).
    case heapSnapshots
}

/// A threshold that was passed, and what to do about it.
public struct WatchFiring: Sendable, Equatable {
    public let action: WatchAction
    /// For the output line: "lag p99 312ms over 5s > 200ms".
    public let reason: String
}

/// The trigger logic of `diag watch`, fed one sample a second: the event-loop delay p99 over
/// the last 5 s (given every fifth sample, when the collector's histogram is read and reset),
/// CPU over a sliding 5 s window from the cumulative CPU seconds, and the used heap's growth
/// since the start (after a heap trigger, since that trigger). Each action fires at most once
/// per `cooldownSeconds`.
public struct WatchTriggers: Sendable {
    public var lagSeconds: Double?
    public var cpuPercent: Double?
    public var heapGrowthBytes: Double?
    public var windowSeconds = 5.0
    public var cooldownSeconds = 60.0

    private var cpuHistory: [(time: Double, seconds: Double)] = []
    private var heapBaseline: Double?
    private var lastFired: [WatchAction: Double] = [:]

    public init(lagSeconds: Double?, cpuPercent: Double?, heapGrowthBytes: Double?) {
        self.lagSeconds = lagSeconds
        self.cpuPercent = cpuPercent
        self.heapGrowthBytes = heapGrowthBytes
    }

    /// CPU use in percent of one core over the last window, once a window's worth is known.
    public var cpuPercentOverWindow: Double? {
        guard let first = cpuHistory.first, let last = cpuHistory.last, last.time - first.time >= windowSeconds * 0.8 else { return nil }
        return (last.seconds - first.seconds) / (last.time - first.time) * 100
    }

    /// Adds one sample (`time` in seconds on a monotonic clock) and returns what fires now.
    public mutating func add(time: Double, cpuSeconds: Double, heapUsedBytes: Double, lagP99Seconds: Double?) -> [WatchFiring] {
        cpuHistory.append((time, cpuSeconds))
        while cpuHistory.count > 2 && time - cpuHistory[1].time >= windowSeconds { cpuHistory.removeFirst() }
        if heapBaseline == nil { heapBaseline = heapUsedBytes }
        var firings: [WatchFiring] = []
        if let limit = lagSeconds, let lag = lagP99Seconds, lag > limit, canFire(.cpuProfile, at: time) {
            firings.append(fire(.cpuProfile, at: time, "lag p99 \(Self.milliseconds(lag)) over \(Int(windowSeconds))s > \(Self.milliseconds(limit))"))
        }
        if let limit = cpuPercent, let cpu = cpuPercentOverWindow, cpu > limit, canFire(.cpuProfile, at: time) {
            firings.append(fire(.cpuProfile, at: time, "CPU \(Int(cpu.rounded()))% over \(Int(windowSeconds))s > \(Int(limit.rounded()))%"))
        }
        if let limit = heapGrowthBytes, let baseline = heapBaseline, heapUsedBytes - baseline >= limit, canFire(.heapSnapshots, at: time) {
            heapBaseline = heapUsedBytes
            let growth = Int64(heapUsedBytes - baseline)
            firings.append(fire(.heapSnapshots, at: time, "heap used grew \(Self.bytes(growth)) >= \(Self.bytes(Int64(limit)))"))
        }
        return firings
    }

    private func canFire(_ action: WatchAction, at time: Double) -> Bool {
        lastFired[action].map { time - $0 >= cooldownSeconds } ?? true
    }

    private mutating func fire(_ action: WatchAction, at time: Double, _ reason: String) -> WatchFiring {
        lastFired[action] = time
        return WatchFiring(action: action, reason: reason)
    }

    private static func milliseconds(_ seconds: Double) -> String { "\(Int((seconds * 1000).rounded()))ms" }

    private static func bytes(_ count: Int64) -> String {
        count >= 1_000_000 ? "\(Double(count / 100_000) / 10)MB" : "\(count)B"
    }
}
