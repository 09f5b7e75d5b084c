import Glibc

/// Lets the test suite stop diag at a named phase of its work (to kill it there with SIGKILL
/// and check what it leaves behind): with DIAG_TEST_PAUSE_AT=PHASE in the environment, diag
/// prints `diag: test pause at PHASE` on standard error when it gets there and sleeps for two
/// minutes. Without the variable this does nothing.
public enum TestPause {
    public static func at(_ phase: String) {
        guard let wanted = getenv("DIAG_TEST_PAUSE_AT"), String(cString: wanted) == phase else { return }
        Terminal.printError("diag: test pause at \(phase)")
        sleep(120)
    }
}
