import DiagSupport
import Glibc
import TargetProcess

/// The kernel refused to open a perf_event sampling stream on the target.
public struct PerfEventUnavailable: Error, Sendable {
    /// errno from perf_event_open or from mapping its buffer.
    public let errorCode: Int32

    /// Why, in words a user can act on.
    public var reason: String {
        switch errorCode {
        case EACCES, EPERM:
            let paranoid = PerfEventSettings.paranoid().map(String.init) ?? "?"
            return "perf_event_open is not permitted (kernel.perf_event_paranoid is \(paranoid); it needs root, "
                + "CAP_PERFMON, or a setting of 1 or less, and no seccomp filter against it)"
        case ENOSYS, ENOENT, EOPNOTSUPP:
            return "this kernel offers no perf_event CPU clock"
        case ENOMEM:
            return "the kernel could not map a perf_event buffer (locked-memory limit, see kernel.perf_event_mlock_kb)"
        default:
            return "perf_event_open failed: \(String(cString: strerror(errorCode)))"
        }
    }

    /// The error diag prints when `--sampler perf` was asked for explicitly.
    var diagnosis: DiagError {
        let kind: DiagError.Kind = errorCode == EACCES || errorCode == EPERM ? .permissionDenied : .failure
        return DiagError(kind, "cannot sample with perf_event: \(reason)", hint: "use --sampler ptrace")
    }
}
