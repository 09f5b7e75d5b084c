import Glibc

/// An error that diag reports to the user: what happened, what to do about it, and the
/// process exit code that goes with it. Every command ends with one of these on failure.
public struct DiagError: Error, CustomStringConvertible, Sendable {
    /// The class of failure; each has its own documented exit code (see man/diag.1).
    public enum Kind: Int32, Sendable {
        /// The operation failed (I/O, target misbehaved, bad input file).
        case failure = 1
        /// The process or file named does not exist.
        case notFound = 2
        /// The operating system refused access (ptrace, /proc, file permissions).
        case permissionDenied = 3
        /// The target exists but is not of a kind the command supports.
        case unsupportedTarget = 4
        /// A threshold the user set was exceeded (`diff --fail-if-growth`).
        case thresholdExceeded = 5
        /// Another client connected to an inspector diag had opened; diag closed it and
        /// discarded the capture.
        case inspectorIntrusion = 6
        /// A profile could not be sent to the collector named by `--push` (after retries).
        case pushFailed = 7
        /// The command exists but this build does not implement it yet.
        case notImplemented = 69
        /// Stopped by SIGINT (Ctrl-C) before a complete output could be written: 128 + 2.
        case interrupted = 130
        /// Stopped by SIGTERM before a complete output could be written: 128 + 15.
        case terminated = 143
    }

    public let kind: Kind
    public let message: String
    /// What the user can do about it, printed on a second line.
    public let hint: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    public var exitCode: Int32 { kind.rawValue }

    public var description: String {
        guard let hint else { return message }
        return "\(message)\n  hint: \(hint)"
    }

    /// A failure of a system call, described with errno's text.
    public static func system(_ what: String, errno code: Int32) -> DiagError {
        let kind: Kind
        switch code {
        case EPERM, EACCES: kind = .permissionDenied
        case ENOENT, ESRCH: kind = .notFound
        default: kind = .failure
        }
        return DiagError(kind, "\(what): \(String(cString: strerror(code)))")
    }

    /// The error every not-yet-built command raises, so that it never prints placeholder output.
    public static func notImplemented(_ feature: String) -> DiagError {
        DiagError(.notImplemented, "\(feature) is not implemented yet in this version of diag")
    }
}
