import CUnwindShim

/// Reads the records of perf_event sampling streams and unwinds each sample's stack copy
/// into `samples`, counting what could not be used.
struct PerfRecordReader {
    private let unwinder: OpaquePointer
    private var stack: [UInt8]
    private var addresses: [UInt64]
    var samples = RawSamples()
    private(set) var samplesTaken = 0
    /// Samples without user registers, or whose stack gave no frame.
    private(set) var failedSamples = 0
    /// Samples the kernel dropped because a ring buffer was full.
    private(set) var lostSamples = 0

    /// - Parameters:
    ///   - unwinder: a `diag_snapshot_unwinder` for the target.
    ///   - stackCapacity: the most stack bytes a sample carries.
    init(unwinder: OpaquePointer, stackCapacity: Int, maximumFrames: Int = 256) {
        self.unwinder = unwinder
        stack = [UInt8](repeating: 0, count: max(stackCapacity, 8))
        addresses = [UInt64](repeating: 0, count: maximumFrames)
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
                let count = stack.withUnsafeBufferPointer { stackBytes in
                    addresses.withUnsafeMutableBufferPointer { buffer in
                        diag_snapshot_unwind(unwinder, &snapshot, stackBytes.baseAddress, buffer.baseAddress, Int32(buffer.count))
                    }
                }
                guard count > 0 else { failedSamples += 1; continue }
                samplesTaken += 1
                samples.add(tid: thread.tid, name: thread.name, time: snapshot.stopped_at_ns / 1000,
                            stack: addresses[0..<Int(count)], isIdle: false)
            default: failedSamples += 1
            }
        }
    }
}
