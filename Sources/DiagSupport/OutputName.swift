import Glibc

/// The default name of an output file when the user gives no `-o`:
/// `COMMAND-TARGET-PID-YYYYMMDD-HHMMSS.EXT` in the current directory, for example
/// `cpu-server-4242-20261121-161300.cpuprofile`.
public func defaultOutputName(command: String, target: String, pid: Int32?, fileExtension: String,
                              at time: time_t = time(nil)) -> String {
    var moment = time
    var parts = tm()
    localtime_r(&moment, &parts)
    let stamp = String(Int(parts.tm_year) + 1900) + pad2(Int(parts.tm_mon) + 1) + pad2(Int(parts.tm_mday))
        + "-" + pad2(Int(parts.tm_hour)) + pad2(Int(parts.tm_min)) + pad2(Int(parts.tm_sec))
    let safeTarget = String(target.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." ? $0 : "-" }.prefix(40))
    var name = command
    if !safeTarget.isEmpty { name += "-\(safeTarget)" }
    if let pid { name += "-\(pid)" }
    return "\(name)-\(stamp).\(fileExtension)"
}

private func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
