import Glibc
import TargetProcess

/// A thread's /proc stat file, kept open: reading its scheduler state and name again costs
/// one system call (pread from offset 0).
final class ThreadStatFile {
    let tid: Int32
    /// The thread's name as of the last read.
    private(set) var name = ""
    private let descriptor: Int32

    /// Opens /proc/PID/task/TID/stat; nil when the thread is gone.
    init?(pid: Int32, tid: Int32) {
        descriptor = open("/proc/\(pid)/task/\(tid)/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        self.tid = tid
        _ = currentState()
    }

    deinit { close(descriptor) }

    /// The scheduler state letter now (R, S, D, T, t, Z...), or nil when the thread is gone.
    func currentState() -> Character? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        guard let info = ThreadInfo(tid: tid, statLine: String(decoding: buffer[0..<count], as: UTF8.self)) else { return nil }
        name = info.name
        return info.state
    }
}
