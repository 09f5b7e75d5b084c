import Glibc
import TargetProcess

/// The checks `diag doctor` runs on the machine itself: diag's privileges, Yama, the
/// container diag may run in, and where cores go.
enum SystemChecks {
    static func all() -> [DoctorCheck] {
        [privileges(), yama(), container(), corePattern()]
    }

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
