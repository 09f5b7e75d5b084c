import DiagSupport
import Glibc

/// Turns a refused ptrace attach into the reason and the fix, checking the usual causes in
/// order: the thread is gone, another tracer holds it, Yama's ptrace_scope, a different
/// user, a non-dumpable process, a missing CAP_SYS_PTRACE.
public enum PtraceDiagnosis {
    /// CAP_SYS_PTRACE's bit number.
    public static let capSysPtrace: UInt64 = 19

    public static func explain(errno code: Int32, tid: Int32) -> DiagError {
        if code == ESRCH { return DiagError(.notFound, "no such process \(tid)") }
        guard code == EPERM || code == EACCES else {
            return DiagError.system("cannot attach to \(tid) with ptrace", errno: code)
        }
        if let reason = reasonForRefusal(pid: tid) { return reason }
        return DiagError(.permissionDenied, "permission denied: ptrace needs CAP_SYS_PTRACE",
                         hint: "run diag as root, or grant it with: setcap cap_sys_ptrace+ep $(command -v diag)")
    }

    /// The first reason why attaching to `pid` is refused, or nil when none is visible.
    /// `ignoringTracer` leaves out another tracer, for uses that only need ptrace's access
    /// rules (reading memory, perf_event) and not an attachment.
    public static func reasonForRefusal(pid: Int32, ignoringTracer: Bool = false) -> DiagError? {
        guard let text = ProcFiles.readText("/proc/\(pid)/status") else { return nil }
        let target = ProcessStatus(parsing: text)
        if target.tracerPID != 0 && !ignoringTracer {
            let tracer = ProcFiles.readText("/proc/\(target.tracerPID)/comm")?.trimmingWhitespace() ?? "?"
            return DiagError(.permissionDenied, "process \(pid) is already traced by pid \(target.tracerPID) (\(tracer))",
                             hint: "only one tracer at a time: stop the debugger or profiler attached to it")
        }
        let me = ProcessStatus(parsing: ProcFiles.readText("/proc/self/status") ?? "")
        let privileged = geteuid() == 0 || me.effectiveCapabilities & (1 << capSysPtrace) != 0
        if privileged { return nil }
        if me.effectiveUID != target.realUID {
            return DiagError(.permissionDenied,
                             "permission denied: process \(pid) belongs to user \(TargetProcess.userName(uid: target.realUID))",
                             hint: "run diag as that user or as root (ptrace needs the same uid or CAP_SYS_PTRACE)")
        }
        let scope = yamaScope()
        if let scope, scope >= 1 {
            let fix = scope == 3 ? "ptrace is disabled until reboot (kernel.yama.ptrace_scope=3)"
                : "run as root, or: sysctl kernel.yama.ptrace_scope=0"
            return DiagError(.permissionDenied, "permission denied: Yama ptrace_scope is \(scope)", hint: fix)
        }
        if !isDumpable(pid: pid) {
            return DiagError(.permissionDenied, "permission denied: process \(pid) is not dumpable (setuid or prctl(PR_SET_DUMPABLE, 0))",
                             hint: "run diag as root")
        }
        return nil
    }

    /// /proc/sys/kernel/yama/ptrace_scope, or nil without Yama.
    public static func yamaScope() -> Int? {
        ProcFiles.readText("/proc/sys/kernel/yama/ptrace_scope").flatMap { Int($0.trimmingWhitespace()) }
    }

    /// A non-dumpable process has its /proc files owned by root.
    public static func isDumpable(pid: Int32) -> Bool {
        var status = stat()
        guard stat("/proc/\(pid)/mem", &status) == 0, let text = ProcFiles.readText("/proc/\(pid)/status") else { return true }
        return status.st_uid == ProcessStatus(parsing: text).realUID
    }
}
