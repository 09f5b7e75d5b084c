import Foundation

/// A tmux server of the test's own (a private socket, no configuration file) with one detached
/// window of a fixed size running a shell command on a real pseudo-terminal: a test types keys
/// and reads the screen, as a user at a terminal would. The server, and with it every process
/// in the window, is killed by `stop()` or when the session is released.
public final class TmuxSession: @unchecked Sendable {
    /// The name of the server's socket (`tmux -L NAME`).
    public let socketName: String
    private var stopped = false

    public static var isAvailable: Bool { Command.exists("tmux") }

    /// Starts the server and runs `command` (given to `sh -c`) in a `columns` × `rows` window.
    public init(command: String, columns: Int = 120, rows: Int = 40) throws {
        socketName = "diag-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // The server this starts keeps the client's standard streams open: pipes read to their
        // end would wait for it, so they go to /dev/null and a file.
        let errors = try FixturePaths.temporaryDirectory("tmux") + "/stderr"
        let client = try Spawn.start("/usr/bin/env", tmuxArguments(["new-session", "-d", "-x", String(columns), "-y", String(rows), command]),
                                     standardError: .file(errors))
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(30)
        while waitpid(client, &status, WNOHANG) == 0 {
            guard Date() < deadline else {
                kill(client, SIGKILL)
                waitpid(client, &status, 0)
                stop()
                throw FixtureError("tmux new-session did not return within 30 s")
            }
            usleep(10_000)
        }
        guard status == 0 else {
            stop()
            throw FixtureError("tmux new-session failed: \((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")")
        }
    }

    deinit { stop() }

    /// Kills the server and what runs in its window. Safe to call more than once.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        _ = try? tmux(["kill-server"])
    }

    /// Types `text` into the window, character by character (no tmux key names).
    public func type(_ text: String) throws {
        let result = try tmux(["send-keys", "-l", text])
        guard result.status == 0 else { throw FixtureError("tmux send-keys failed: \(result.standardError)") }
    }

    /// Presses `key`, a tmux key name ("C-c", "Enter").
    public func press(_ key: String) throws {
        let result = try tmux(["send-keys", key])
        guard result.status == 0 else { throw FixtureError("tmux send-keys failed: \(result.standardError)") }
    }

    /// The process id of the window's command (the shell running it).
    public var panePID: Int32? {
        (try? tmux(["display-message", "-p", "#{pane_pid}"])).flatMap { Int32($0.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The text on the window's screen now, one line per row.
    public func screen() -> String {
        (try? tmux(["capture-pane", "-p"]))?.standardOutput ?? ""
    }

    /// Reads the screen every 100 ms until `condition` holds for it, up to `timeout` seconds;
    /// the screen that met it, or nil.
    public func waitForScreen(timeout: Double, _ condition: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            let text = screen()
            if condition(text) { return text }
            usleep(100_000)
        } while Date() < deadline
        return nil
    }

    private func tmux(_ arguments: [String]) throws -> Command.Result {
        try Command.run("/usr/bin/env", tmuxArguments(arguments), timeout: 30)
    }

    private func tmuxArguments(_ arguments: [String]) -> [String] {
        ["tmux", "-f", "/dev/null", "-L", socketName] + arguments
    }

    /// `text` quoted for `sh`.
    public static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
