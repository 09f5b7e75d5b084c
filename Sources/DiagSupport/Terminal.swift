import Glibc

/// Where diag's human-facing text goes: results on standard output, diagnostics and
/// progress on standard error.
public enum Terminal {
    /// True when the stream is a terminal (progress and colors only make sense there).
    public static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// Writes `text` and a newline to standard error, unbuffered.
    public static func printError(_ text: String) {
        writeAll(STDERR_FILENO, text + "\n")
    }

    /// Writes `text` to standard output without a newline.
    public static func printOut(_ text: String) {
        writeAll(STDOUT_FILENO, text)
    }

    static func writeAll(_ descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// A one-line progress display on standard error, redrawn in place. It shows nothing unless
/// standard error is a terminal and the user did not ask for `--quiet`.
public final class ProgressLine {
    public let isEnabled: Bool
    private var lastDraw: Double = 0
    private var drawn = false

    public init(quiet: Bool) {
        isEnabled = !quiet && Terminal.isTerminal(STDERR_FILENO)
    }

    /// Shows `text`, at most ten times a second unless `force` is set.
    public func update(_ text: String, force: Bool = false) {
        guard isEnabled else { return }
        let now = MonotonicClock.seconds()
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        drawn = true
        Terminal.writeAll(STDERR_FILENO, "\r\u{1B}[K" + text)
    }

    /// Erases the progress line.
    public func clear() {
        guard isEnabled, drawn else { return }
        drawn = false
        Terminal.writeAll(STDERR_FILENO, "\r\u{1B}[K")
    }
}

/// CLOCK_MONOTONIC, the clock of V8's profiles and of diag's own samples.
public enum MonotonicClock {
    public static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    public static func microseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }
}
