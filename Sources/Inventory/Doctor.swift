import TargetProcess

/// `diag doctor`: every check for the machine, and for a process when one is given.
public enum Doctor {
    public static func run(pid: Int32?) throws -> DoctorReport {
        var checks = SystemChecks.all()
        guard let pid else { return DoctorReport(target: nil, checks: checks) }
        let process = try TargetProcess(pid: pid)
        let runtime = RuntimeDetector.detect(process)
        checks += ProcessChecks.all(for: process, runtime: runtime)
        return DoctorReport(target: .init(pid: pid, name: process.name, runtime: runtime.label), checks: checks)
    }
}
