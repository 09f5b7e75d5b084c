import CInspectorShim
import DiagSupport
import Glibc
import TargetProcess

/// Opens the inspector of a Node.js process that has none: checks that the port it will use
/// is free, sends SIGUSR1 through a pidfd (so the signal reaches the very process that was
/// verified, even if the pid is reused meanwhile), then watches /proc for the new listening
/// socket and asks it `/json/version`.
enum InspectorActivation {
    /// How long to wait for the port after the signal. A main thread blocked in a system call
    /// delays the opening (1.5 s was seen for a 3 s `execSync`).
    static let defaultTimeout = 5.0

    /// Sends SIGUSR1 and returns the inspector that opened, with the time it took.
    static func open(_ target: NodeTarget, timeout: Double = defaultTimeout) throws -> (InspectorEndpoint, seconds: Double) {
        let pid = target.pid
        try checkSignalIsHandled(target)
        try checkPortIsFree(target)
        let pidfd = diag_pidfd_open(pid)
        guard pidfd >= 0 else { throw DiagError.system("cannot open process \(pid)", errno: errno) }
        defer { close(pidfd) }
        // The pidfd now names exactly one process: verify that it is still the Node process
        // that was checked (the pid could have been reused before the pidfd was opened).
        _ = try NodeTarget(pid: pid, purpose: "refusing to send it SIGUSR1")
        let before = Set(ListeningSockets.of(pid: pid).map(\.inode))
        let start = MonotonicClock.seconds()
        guard diag_pidfd_send_signal(pidfd, SIGUSR1) == 0 else {
            throw DiagError.system("cannot send SIGUSR1 to \(pid)", errno: errno)
        }
        let deadline = start + timeout
        while MonotonicClock.seconds() < deadline {
            if let endpoint = newInspector(pid: pid, excluding: before) {
                return (endpoint, MonotonicClock.seconds() - start)
            }
            if !target.process.isAlive { throw DiagError(.notFound, "process \(pid) exited after SIGUSR1") }
            if StopRequest.isRequested { throw StopRequest.stoppedError("interrupted while waiting for the inspector of \(pid) to open") }
            usleep(2000)
        }
        throw DiagError(.failure, "process \(pid) did not open an inspector within \(formatDecimal(timeout))s of SIGUSR1",
                        hint: "most likely the application handles SIGUSR1 itself (process.on('SIGUSR1') replaces Node's handler) or was "
                            + "started with --disable-sigusr1; restart it with --inspect=127.0.0.1:0 (diag then uses that inspector and leaves "
                            + "it open) or without its own SIGUSR1 handler. Less often its main thread is blocked in a system call (try again), "
                            + "or its inspector port is in use (its stderr then says so)")
    }

    /// A listening socket that was not there before and answers like a V8 inspector.
    static func newInspector(pid: Int32, excluding before: Set<UInt64>) -> InspectorEndpoint? {
        for socket in ListeningSockets.of(pid: pid) where !before.contains(socket.inode) {
            if let endpoint = InspectorDiscovery.probe(pid: pid, socket: socket, timeout: 0.5) { return endpoint }
        }
        return nil
    }

    /// Fails unless Node's SIGUSR1 handler is in place: a process that does not catch SIGUSR1
    /// (still starting) would be killed by it, and one that ignores it would never open.
    static func checkSignalIsHandled(_ target: NodeTarget) throws {
        let process = try TargetProcess(pid: target.pid)
        let words = process.commandLine + [process.environment?["NODE_OPTIONS"] ?? ""]
        if words.contains(where: { $0.contains("--disable-sigusr1") }) {
            throw DiagError(.unsupportedTarget, "\(target.pid) was started with --disable-sigusr1: its inspector cannot be opened from outside",
                            hint: "restart it without --disable-sigusr1, or with --inspect=127.0.0.1:0")
        }
        if ProcessStatus.has(signal: SIGUSR1, in: process.status.ignoredSignals) {
            throw DiagError(.unsupportedTarget, "\(target.pid) ignores SIGUSR1: its inspector cannot be opened from outside",
                            hint: "restart it with SIGUSR1 not ignored (check the service manager or the parent)")
        }
        guard ProcessStatus.has(signal: SIGUSR1, in: process.status.caughtSignals) else {
            throw DiagError(.failure, "\(target.pid) does not catch SIGUSR1 yet (is it still starting?); diag will not send it, since it would kill the process",
                            hint: "try again in a moment")
        }
    }

    /// Fails, naming the holder, when the port the target will open is already taken.
    static func checkPortIsFree(_ target: NodeTarget) throws {
        let port = InspectorPortSetting.expectedPort(for: target.pid)
        guard port != 0, ListeningSockets.table(pid: target.pid).contains(where: { $0.port == port }) else { return }
        let holder = ListeningSockets.owner(ofPort: port, amongNamespaceOf: target.pid)
        let who = holder == target.pid ? "the target itself (an application socket)" : InspectorClients.describe(holder)
        throw DiagError(.failure, "inspector port \(port) is held by \(who); SIGUSR1 would fail to open the inspector of \(target.pid)",
                        hint: "free port \(port), or start the application with another --inspect-port (0 picks a free one)")
    }
}
