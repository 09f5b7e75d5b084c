/// One thread's NT_PRSTATUS note: its id, the signal it was handling and its registers.
public struct ThreadStatus: Sendable, Equatable {
    public var tid: Int32
    public var parentPID: Int32
    /// pr_cursig: the signal that the thread was handling when the core was written.
    public var currentSignal: Int32
    /// The 27 x86_64 general-purpose registers in `RegisterNames.x86_64` order.
    public var registers: [UInt64]

    public func register(_ name: String) -> UInt64? {
        guard let index = RegisterNames.x86_64.firstIndex(of: name), index < registers.count else { return nil }
        return registers[index]
    }

    public var instructionPointer: UInt64? { register("rip") }
    public var stackPointer: UInt64? { register("rsp") }
}

/// The register order of `struct user_regs_struct` (and of pr_reg in NT_PRSTATUS).
public enum RegisterNames {
    public static let x86_64 = [
        "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi", "rdi",
        "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
    ]
}

/// The NT_PRPSINFO note: who the process was.
public struct ProcessInfoNote: Sendable, Equatable {
    /// The state letter (R, S, D, T, Z...).
    public var state: String
    public var nice: Int8
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    public var parentPID: Int32
    public var processGroup: Int32
    public var session: Int32
    /// The command name (comm), at most 15 characters.
    public var name: String
    /// The first 80 bytes of the argument vector, joined by spaces.
    public var arguments: String
}

/// The NT_SIGINFO note: the kernel's siginfo for the signal that killed the process.
public struct SignalInfo: Sendable, Equatable {
    public var number: Int32
    public var errorNumber: Int32
    public var code: Int32
    /// The faulting address, for SIGSEGV, SIGBUS, SIGILL and SIGFPE raised by the CPU (code > 0).
    public var faultAddress: UInt64?
    /// The sending process and its user, for signals sent by a process (code <= 0).
    public var senderPID: Int32?
    public var senderUID: UInt32?
}

/// One file mapping from the NT_FILE note.
public struct FileMapping: Sendable, Equatable {
    public var start: UInt64
    public var end: UInt64
    /// Offset in the file, in bytes.
    public var fileOffset: UInt64
    /// The path as the kernel saw it; may end in " (deleted)".
    public var path: String

    public var isDeleted: Bool { path.hasSuffix(" (deleted)") }
    /// The path without a " (deleted)" suffix.
    public var filePath: String { isDeleted ? String(path.dropLast(" (deleted)".count)) : path }
}

/// Keys of the auxiliary vector that diag reads.
public enum AuxiliaryKey {
    /// AT_RANDOM: the address of 16 random bytes on the initial stack.
    public static let random: UInt64 = 25
    /// AT_EXECFN: the address of the executable's path as passed to execve, on the initial stack.
    public static let executableName: UInt64 = 31
}
