import CUnwindShim
import DiagSupport

/// Takes one sample of one seized thread: stops it just long enough to copy its registers
/// and the top of its stack, then unwinds the copy with libunwind while the thread runs.
/// It remembers each thread's stack pointer, so that the next copy can be taken before the
/// registers are read (see `diag_take_thread_snapshot`).
/// In `unwindWhileStopped` mode (the benchmark reference) it unwinds with
/// libunwind-ptrace while the thread stays stopped instead.
final class StackSnapshotter {
    /// The result of one attempt.
    enum Outcome {
        /// `addresses` (innermost first) of a thread stopped at `time` µs; `timing` says how
        /// long it took to stop and how long it stayed stopped.
        case sampled(time: Int64, timing: StopTiming, addresses: ArraySlice<UInt64>)
        case threadGone
        case jobControlStopped
        case failed(errno: Int32, stopNanoseconds: Int64)
    }

    let pid: Int32
    let unwindWhileStopped: Bool
    private let unwinder: OpaquePointer
    private var stack: [UInt8]
    private var addresses: [UInt64]
    private var framePointers: [UInt64]
    /// Names JavaScript frames (`--mixed`), or nil.
    private let javaScriptFrames: MixedStackRewriter?
    private var mixedStack: [UInt64] = []
    /// Each thread's stack pointer at its last sample.
    private var stackPointers: [Int32: UInt64] = [:]

    /// - Parameters:
    ///   - stackCopySize: bytes of stack copied per sample, at least, above the stack pointer.
    ///   - maximumFrames: frames kept per stack.
    init(pid: Int32, stackCopySize: Int = 32 * 1024, maximumFrames: Int = 256, unwindWhileStopped: Bool = false,
         javaScriptFrames: MixedStackRewriter? = nil) throws {
        guard let unwinder = diag_snapshot_unwinder_create(pid) else {
            throw DiagError(.failure, "cannot set up libunwind for process \(pid)")
        }
        self.pid = pid
        self.unwinder = unwinder
        self.unwindWhileStopped = unwindWhileStopped
        stack = [UInt8](repeating: 0, count: stackCopySize + 2 * Int(DIAG_STACK_HINT_MARGIN))
        addresses = [UInt64](repeating: 0, count: maximumFrames)
        framePointers = [UInt64](repeating: 0, count: javaScriptFrames == nil ? 0 : maximumFrames)
        self.javaScriptFrames = javaScriptFrames
    }

    deinit { diag_snapshot_unwinder_destroy(unwinder) }

    /// Memory reads that had to go to the live process because the copy did not hold them.
    var liveMemoryReads: UInt64 { diag_snapshot_unwinder_live_reads(unwinder) }

    func sample(tid: Int32) -> Outcome {
        var snapshot = diag_thread_snapshot()
        var errorCode: Int32 = 0
        var count: Int32 = 0
        let status: Int32
        if unwindWhileStopped {
            status = addresses.withUnsafeMutableBufferPointer { buffer in
                diag_take_stopped_unwind(tid, buffer.baseAddress, Int32(buffer.count), &count, &snapshot, &errorCode)
            }
        } else {
            let hint = stackPointers[tid] ?? 0
            status = stack.withUnsafeMutableBufferPointer { buffer in
                diag_take_thread_snapshot(pid, tid, hint, buffer.baseAddress, buffer.count, &snapshot, &errorCode)
            }
            if status == Int32(DIAG_SNAPSHOT_TAKEN.rawValue) {
                stackPointers[tid] = withUnsafeBytes(of: snapshot.registers) {
                    $0.load(fromByteOffset: Int(DIAG_SNAPSHOT_REGISTER_SP) * MemoryLayout<UInt64>.size, as: UInt64.self)
                }
                count = unwindSnapshot(unwinder, &snapshot, stack: stack, addresses: &addresses, framePointers: &framePointers)
            }
        }
        switch UInt32(status) {
        case DIAG_SNAPSHOT_TAKEN.rawValue:
            guard count > 0 else { return .failed(errno: 0, stopNanoseconds: snapshot.stop_duration_ns) }
            if let javaScriptFrames, !unwindWhileStopped {
                mixedStack = stack.withUnsafeBytes { bytes in
                    javaScriptFrames.rewrite(addresses[0..<Int(count)], framePointers: framePointers[0..<Int(count)],
                                             stackStart: snapshot.stack_address,
                                             stack: UnsafeRawBufferPointer(rebasing: bytes[0..<Int(snapshot.stack_size)]))
                }
                return .sampled(time: snapshot.stopped_at_ns / 1000, timing: StopTiming(snapshot), addresses: mixedStack[...])
            }
            return .sampled(time: snapshot.stopped_at_ns / 1000, timing: StopTiming(snapshot),
                            addresses: addresses[0..<Int(count)])
        case DIAG_SNAPSHOT_THREAD_GONE.rawValue:
            stackPointers[tid] = nil
            return .threadGone
        case DIAG_SNAPSHOT_JOB_STOPPED.rawValue: return .jobControlStopped
        default: return .failed(errno: errorCode, stopNanoseconds: snapshot.stop_duration_ns)
        }
    }
}
