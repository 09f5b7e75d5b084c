import CUnwindShim

/// Reads the records of perf_event sampling streams and unwinds each sample's stack copy
/// into `samples`, counting what could not be used.
struct PerfRecordReader {
    private let unwinder: OpaquePointer
    private var stack: [UInt8]
    private var addresses: [UInt64]
    private var framePointers: [UInt64]
    /// Names JavaScript frames as samples are read (`--mixed`), or nil.
    let javaScriptFrames: MixedStackRewriter?
    var samples = RawSamples()
    private(set) var samplesTaken = 0
    /// Samples without user registers, or whose stack gave no frame.
    private(set) var failedSamples = 0
    /// Samples the kernel dropped because a ring buffer was full.
    private(set) var lostSamples = 0

    /// - Parameters:
    ///   - unwinder: a `diag_snapshot_unwinder` for the target.
    ///   - stackCapacity: the most stack bytes a sample carries.
    init(unwinder: OpaquePointer, stackCapacity: Int, maximumFrames: Int = 256, javaScriptFrames: MixedStackRewriter? = nil) {
        self.unwinder = unwinder
        stack = [UInt8](repeating: 0, count: max(stackCapacity, 8))
        addresses = [UInt64](repeating: 0, count: maximumFrames)
        framePointers = [UInt64](repeating: 0, count: javaScriptFrames == nil ? 0 : maximumFrames)
        self.javaScriptFrames = javaScriptFrames
    }

    /// Takes every record out of `thread`'s ring buffer.
    mutating func drain(_ thread: PerfEventThreads.Thread) {
        guard let stream = thread.stream else { return }
        var snapshot = diag_thread_snapshot()
        var lost: UInt64 = 0
        while true {
            let kind = stack.withUnsafeMutableBufferPointer { buffer in
                diag_perf_stream_next(stream, &snapshot, buffer.baseAddress, buffer.count, &lost)
            }
            switch kind {
            case DIAG_PERF_EMPTY: return
            case DIAG_PERF_LOST: lostSamples += Int(lost)
            case DIAG_PERF_SAMPLE:
                let count = Int(unwindSnapshot(unwinder, &snapshot, stack: stack, addresses: &addresses,
                                               framePointers: &framePointers))
                guard count > 0 else { failedSamples += 1; continue }
                samplesTaken += 1
                var frames = addresses[0..<count]
                if let javaScriptFrames {
                    frames = stack.withUnsafeBytes { bytes in
                        javaScriptFrames.rewrite(frames, framePointers: framePointers[0..<count], stackStart: snapshot.stack_address,
                                                 stack: UnsafeRawBufferPointer(rebasing: bytes[0..<Int(snapshot.stack_size)]))
                    }[...]
                }
                samples.add(tid: thread.tid, name: thread.name, time: snapshot.stopped_at_ns / 1000, stack: frames, isIdle: false)
            default: failedSamples += 1
            }
        }
    }
}
