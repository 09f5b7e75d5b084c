/// glibc's `__abort_msg`: before abort() runs for a failed assert, a malloc consistency check
/// or a fortify failure, glibc stores the message it printed in a `struct abort_msg_s
/// { unsigned int size; char msg[]; }` and points this exported variable at it.
public enum AbortMessage {
    public static let symbol = "__abort_msg"

    /// The message, read from core memory through the symbol's address; nil when unset.
    public static func read(symbolAddress: UInt64, memory: CoreMemory) -> String? {
        guard let pointer = memory.readU64(symbolAddress), pointer != 0,
              let size = memory.readU32(pointer), size > 4 else { return nil }
        let length = Int(min(size, 8192))
        guard let text = memory.readCString(pointer + 4, maxLength: length), !text.isEmpty else { return nil }
        return text
    }
}
