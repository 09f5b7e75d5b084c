import Glibc
import TargetProcess

/// The checks `diag doctor` runs on the machine itself: diag's privileges, Yama, perf_event,
/// the container diag may run in, and where cores go.
enum SystemChecks {
    static func all() -> [DoctorCheck] {
        [privileges(), yama(), perfEvent(), container(), corePattern()]
    }

    /// CAP_PERFMON's and CAP_SYS_ADMIN's bit numbers.
    static let capPerfmon: UInt64 = 38, capSysAdmin: UInt64 = 21

    static var isPrivileged: Bool {
        let me = ProcessStatus(parsing: ProcFiles.readText("/proc/self/status") ?? "")
        return geteuid() == 0 || me.effectiveCapabilities & (1 << PtraceDiagnosis.capSysPtrace) != 0
    }

    static func privileges() -> DoctorCheck {
        if geteuid() == 0 { return DoctorCheck("privileges", .ok, "running as root") }
        if isPrivileged { return DoctorCheck("privileges", .ok, "diag has CAP_SYS_PTRACE") }
        return DoctorCheck("privileges", .warn, "not root and no CAP_SYS_PTRACE: only processes of your own user can be traced",
                           fix: "run as root, or: setcap cap_sys_ptrace+ep $(command -v diag)")
    }

    static func yama() -> DoctorCheck {
        guard let scope = PtraceDiagnosis.yamaScope() else {
            return DoctorCheck("ptrace_scope", .ok, "Yama is not active: ptrace follows the classic uid rules")
        }
        switch scope {
        case 0: return DoctorCheck("ptrace_scope", .ok, "kernel.yama.ptrace_scope=0")
        case 3: return DoctorCheck("ptrace_scope", .fail, "kernel.yama.ptrace_scope=3: ptrace is disabled for everyone",
                                   fix: "only a reboot re-enables ptrace (the setting cannot be lowered)")
        default:
            if isPrivileged { return DoctorCheck("ptrace_scope", .ok, "kernel.yama.ptrace_scope=\(scope); diag is privileged") }
            return DoctorCheck("ptrace_scope", .fail, "kernel.yama.ptrace_scope=\(scope): only parents may trace their children",
                               fix: "run diag as root, or: sysctl kernel.yama.ptrace_scope=0")
        }
    }

    /// Whether `diag cpu` may sample with perf_event (kernel.perf_event_paranoid and diag's
    /// capabilities; a seccomp filter is only seen when sampling), or falls back to ptrace.
    static func perfEvent() -> DoctorCheck {
        guard let paranoid = PerfEventSettings.paranoid() else {
            return DoctorCheck("perf_event", .warn, "this kernel has no perf_event: diag cpu samples native stacks with ptrace")
        }
        let me = ProcessStatus(parsing: ProcFiles.readText("/proc/self/status") ?? "")
        let capabilities = me.effectiveCapabilities
        if geteuid() == 0 || capabilities & (1 << capPerfmon) != 0 || capabilities & (1 << capSysAdmin) != 0 {
            return DoctorCheck("perf_event", .ok, "diag cpu may sample with perf_event (kernel.perf_event_paranoid=\(paranoid); diag is privileged)")
        }
        if paranoid <= 1 { return DoctorCheck("perf_event", .ok, "kernel.perf_event_paranoid=\(paranoid): diag cpu may sample with perf_event") }
        return DoctorCheck("perf_event", .warn,
                           "kernel.perf_event_paranoid=\(paranoid): diag cpu samples native stacks with ptrace, which stops each thread ~20-30 µs per sample",
                           fix: "sysctl kernel.perf_event_paranoid=1, or: setcap cap_perfmon,cap_sys_ptrace+ep $(command -v diag)")
    }

    static func container() -> DoctorCheck {
        let candidates: [String] = ["/.dockerenv", "/run/.containerenv"]
        let markers = candidates.filter { access($0, F_OK) == 0 }
        let cgroup = ProcFiles.readText("/proc/1/cgroup") ?? ""
        let inContainer = !markers.isEmpty || cgroup.contains("docker") || cgroup.contains("kubepods") || cgroup.contains("libpod")
        guard inContainer else { return DoctorCheck("container", .ok, "diag runs on the host") }
        return DoctorCheck("container", .warn, "diag runs in a container: it sees only the processes of its own pid namespace",
                           fix: "to diagnose other containers, run diag on the host or share the target's pid namespace (docker run --pid=container:NAME --cap-add SYS_PTRACE)")
    }

    static func corePattern() -> DoctorCheck {
        let pattern = (ProcFiles.readText("/proc/sys/kernel/core_pattern") ?? "?").trimmingWhitespace()
        if pattern.hasPrefix("|") {
            let handler = pattern.dropFirst().split(separator: " ").first.map(String.init) ?? pattern
            let hint = handler.contains("systemd-coredump") ? "list them with coredumpctl; extract with coredumpctl dump PID -o core" : "cores go to \(handler)"
            return DoctorCheck("core_pattern", .ok, "cores are piped to \(handler)", fix: hint)
        }
        if pattern.isEmpty { return DoctorCheck("core_pattern", .fail, "kernel.core_pattern is empty: no cores are written",
                                                fix: "sysctl kernel.core_pattern=core.%p") }
        let place = pattern.hasPrefix("/") ? "as \(pattern)" : "in the crashing process's working directory as \(pattern)"
        return DoctorCheck("core_pattern", .ok, "cores are written \(place)")
    }
}
