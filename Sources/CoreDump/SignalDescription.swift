/// Names for signals and for what their si_code says about the cause (from signal.h and
/// siginfo.h, x86_64).
public enum SignalDescription {
    static let names: [Int32: String] = [
        1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
        8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM",
        15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP",
        21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ", 26: "SIGVTALRM",
        27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR", 31: "SIGSYS",
    ]

    public static let segmentationFault: Int32 = 11
    public static let busError: Int32 = 7
    public static let illegalInstruction: Int32 = 4
    public static let floatingPointError: Int32 = 8
    public static let abort: Int32 = 6
    public static let trap: Int32 = 5
    public static let stop: Int32 = 19

    /// si_code values shared by every signal.
    public enum Code {
        public static let user: Int32 = 0
        public static let kernel: Int32 = 0x80
        public static let queue: Int32 = -1
        public static let timer: Int32 = -2
        public static let messageQueue: Int32 = -3
        public static let asyncIO: Int32 = -4
        public static let sigio: Int32 = -5
        public static let threadKill: Int32 = -6
        public static let segvMapError: Int32 = 1
        public static let segvAccessError: Int32 = 2
    }

    /// `SIGSEGV`, or `signal 42` for real-time and unknown numbers.
    public static func name(_ number: Int32) -> String {
        if let name = names[number] { return name }
        if number >= 34 && number <= 64 { return "SIGRTMIN+\(number - 34)" }
        return "signal \(number)"
    }

    /// True for the signals whose siginfo carries a fault address when the CPU raised them.
    public static func hasFaultAddress(_ number: Int32) -> Bool {
        [segmentationFault, busError, illegalInstruction, floatingPointError, trap].contains(number)
    }

    /// True when si_code says another process (or the process itself) sent the signal.
    public static func isSentByProcess(code: Int32) -> Bool {
        code <= 0 && code != Code.timer && code != Code.asyncIO && code != Code.sigio && code != Code.messageQueue
    }

    /// The symbolic si_code and its meaning, e.g. ("SEGV_MAPERR", "address not mapped").
    public static func code(_ code: Int32, signal: Int32) -> (name: String, meaning: String) {
        switch code {
        case Code.user: return ("SI_USER", "sent by kill()")
        case Code.kernel: return ("SI_KERNEL", "sent by the kernel")
        case Code.queue: return ("SI_QUEUE", "sent by sigqueue()")
        case Code.timer: return ("SI_TIMER", "POSIX timer expired")
        case Code.messageQueue: return ("SI_MESGQ", "message queue state changed")
        case Code.asyncIO: return ("SI_ASYNCIO", "asynchronous I/O completed")
        case Code.sigio: return ("SI_SIGIO", "queued SIGIO")
        case Code.threadKill: return ("SI_TKILL", "sent by tkill()/tgkill()")
        default: break
        }
        let table: [Int32: [(String, String)]] = [
            segmentationFault: [("SEGV_MAPERR", "address not mapped to an object"),
                                ("SEGV_ACCERR", "invalid permissions for the mapped object"),
                                ("SEGV_BNDERR", "failed address bound checks"),
                                ("SEGV_PKUERR", "access denied by memory protection keys")],
            busError: [("BUS_ADRALN", "invalid address alignment"), ("BUS_ADRERR", "nonexistent physical address"),
                       ("BUS_OBJERR", "object-specific hardware error"),
                       ("BUS_MCEERR_AR", "hardware memory error, action required"),
                       ("BUS_MCEERR_AO", "hardware memory error, action optional")],
            illegalInstruction: [("ILL_ILLOPC", "illegal opcode"), ("ILL_ILLOPN", "illegal operand"),
                                 ("ILL_ILLADR", "illegal addressing mode"), ("ILL_ILLTRP", "illegal trap"),
                                 ("ILL_PRVOPC", "privileged opcode"), ("ILL_PRVREG", "privileged register"),
                                 ("ILL_COPROC", "coprocessor error"), ("ILL_BADSTK", "internal stack error")],
            floatingPointError: [("FPE_INTDIV", "integer divide by zero"), ("FPE_INTOVF", "integer overflow"),
                                 ("FPE_FLTDIV", "floating-point divide by zero"), ("FPE_FLTOVF", "floating-point overflow"),
                                 ("FPE_FLTUND", "floating-point underflow"), ("FPE_FLTRES", "floating-point inexact result"),
                                 ("FPE_FLTINV", "floating-point invalid operation"), ("FPE_FLTSUB", "subscript out of range")],
            trap: [("TRAP_BRKPT", "process breakpoint"), ("TRAP_TRACE", "process trace trap"),
                   ("TRAP_BRANCH", "process taken branch trap"), ("TRAP_HWBKPT", "hardware breakpoint or watchpoint")],
        ]
        if let codes = table[signal], code >= 1, Int(code) <= codes.count {
            return codes[Int(code) - 1]
        }
        return ("\(code)", "si_code \(code)")
    }
}
