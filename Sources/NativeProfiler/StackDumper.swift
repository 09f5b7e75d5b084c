import CUnwindShim
import DiagSupport
import Symbols
import TargetProcess

/// Takes one stack of every thread of a process: each thread is stopped on its own, just
/// long enough to copy its registers and stack, and unwound and symbolized after all of
/// them run again.
public enum StackDumper {
    public static func dump(_ target: TargetProcess) throws -> StackDump {
        let resolver = try FrameResolver(target: target)
        var captured: [(tid: Int32, name: String, state: Character, addresses: [UInt64], note: String?)] = []
        do {
            let threads = try SeizedThreads(pid: target.pid)
            defer { threads.detachAll() }
            let snapshotter = try StackSnapshotter(pid: target.pid)
            diag_watch_tracee_events()  // a thread's stop wakes diag through SIGCHLD
            let raised = diag_raise_priority()
            defer { diag_restore_priority(raised) }
            for thread in threads.threads {
                guard let state = thread.currentState() else { continue }
                if state == "D" {
                    // Stopping it would wait for its uninterruptible wait to end.
                    captured.append((thread.tid, thread.name, state, [], "in an uninterruptible wait; not stopped"))
                    continue
                }
                switch snapshotter.sample(tid: thread.tid) {
                case let .sampled(_, _, addresses):
                    captured.append((thread.tid, thread.name, state, Array(addresses), nil))
                case .threadGone:
                    continue
                case .jobControlStopped:
                    captured.append((thread.tid, thread.name, "T", [], "stopped by job control; left stopped"))
                case let .failed(code, _):
                    let reason = code == 0 ? "no frame could be unwound" : "ptrace failed: errno \(code)"
                    captured.append((thread.tid, thread.name, state, [], reason))
                }
            }
        }
        let threads = captured.map { entry in
            StackDump.Thread(tid: entry.tid, name: entry.name, state: StackDump.describe(state: entry.state),
                             frames: frames(entry.addresses, resolver: resolver), note: entry.note)
        }
        var moduleAddresses: [String: UInt64] = [:]
        for frame in threads.flatMap(\.frames) {
            if let module = frame.module, moduleAddresses[module] == nil, let address = UInt64(frame.address.dropFirst(2), radix: 16) {
                moduleAddresses[module] = address
            }
        }
        return StackDump(pid: target.pid, process: target.name, threads: threads,
                         modules: ModuleSummary.describe(moduleAddresses, resolver: resolver))
    }

    static func frames(_ addresses: [UInt64], resolver: FrameResolver) -> [StackDump.Frame] {
        addresses.enumerated().flatMap { depth, address in
            resolver.frames(at: address, isReturnAddress: depth > 0).map { frame in
                StackDump.Frame(function: frame.displayName, file: frame.file, line: frame.line, module: frame.module,
                                offset: frame.moduleOffset.map { "0x" + String($0, radix: 16) },
                                address: "0x" + String(address, radix: 16), inline: frame.isInline)
            }
        }
    }
}
