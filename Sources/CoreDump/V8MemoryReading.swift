import TargetProcess

/// The memory `V8Heap` reads objects from: a core's (`CoreMemory`) or a running process's
/// (`ProcessMemory`, for `diag cpu --mixed`).
protocol V8MemoryReading: AnyObject {
    func read(_ address: UInt64, count: Int) -> [UInt8]?
    func readU64(_ address: UInt64) -> UInt64?
    func readU32(_ address: UInt64) -> UInt32?
    func readU16(_ address: UInt64) -> UInt16?
}

extension CoreMemory: V8MemoryReading {}
extension ProcessMemory: V8MemoryReading {}

extension V8MemoryReading {
    func readU8(_ address: UInt64) -> UInt8? {
        read(address, count: 1)?.first
    }
}
