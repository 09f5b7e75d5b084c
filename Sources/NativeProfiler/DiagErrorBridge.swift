import DiagSupport
import Symbols

/// The user-facing errors of the native profiler.
enum DiagErrorBridge {
    static func symbolizerFailed(pid: Int32, _ error: Error) -> DiagError {
        DiagError(.failure, "cannot read the modules of process \(pid): \(error)")
    }
}
