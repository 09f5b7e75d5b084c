import CSystemShim
import Glibc

/// Ctrl-C and SIGTERM handling for long captures: once `install()` has run, those signals
/// no longer kill diag; they set a flag that capture loops poll, so that diag can detach,
/// close what it opened and still write a valid file.
public enum StopRequest {
    public static func install() {
        diag_install_stop_handlers()
    }

    /// The signal that asked diag to stop, or nil.
    public static var signal: Int32? {
        let number = diag_stop_signal()
        return number == 0 ? nil : number
    }

    public static var isRequested: Bool { signal != nil }

    /// The error that ends a command stopped before its output was complete: exit status
    /// 130 after SIGINT, 143 after SIGTERM, as a shell reports a process those signals killed.
    public static func stoppedError(_ message: String, hint: String? = nil) -> DiagError {
        DiagError(signal == SIGTERM ? .terminated : .interrupted, message, hint: hint)
    }
}
