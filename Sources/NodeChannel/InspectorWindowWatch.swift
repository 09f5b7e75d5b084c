import DiagSupport
import Foundation
import Glibc
import NodeInspector

/// Watches an inspector diag opened, for as long as its TCP port is open, for connections
/// that diag did not make: a thread polls the kernel's socket table every millisecond and
/// keeps the first intruder it sees, and goes on looking until it knows the intruder's uid
/// (one read of the table may hold the target's end of a connection but not yet the
/// client's, which says whose it is). The opening code checks `intruder` between its steps.
final class InspectorWindowWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var found: InspectorIntruder?
    private var stopped = false
    private var port: UInt16?
    private let scan: InspectorIntruderScan
    private var thread: Thread?

    /// Starts watching `pid`; `port` may be given later (when it is known only once the
    /// inspector is listening). Call before the inspector opens: what is in the kernel's
    /// tables now is the baseline.
    init(pid: Int32, port: UInt16?) {
        scan = InspectorIntruderScan(pid: pid)
        self.port = port
        let thread = Thread { [self] in run() }
        thread.name = "diag-inspector-watch"
        self.thread = thread
        thread.start()
    }

    /// The inspector's port, once known.
    func watch(port: UInt16) {
        lock.withLock { self.port = port }
    }

    /// The first connection from somebody else, if any was seen.
    var intruder: InspectorIntruder? { lock.withLock { found } }

    /// Looks once more, then stops the thread.
    func stop() {
        poll()
        lock.withLock { stopped = true }
    }

    private func run() {
        while !lock.withLock({ stopped || found?.uid != nil }) {
            poll()
            usleep(1000)
        }
    }

    private func poll() {
        guard let port = lock.withLock({ port }), port != 0 else { return }
        if let intruder = scan.intruder(port: port) {
            lock.withLock { if found == nil || (found?.uid == nil && intruder.uid != nil) { found = intruder } }
        }
    }
}
