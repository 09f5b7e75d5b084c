/// The fields of /proc/PID/status (or /proc/PID/task/TID/status) that diag uses.
public struct ProcessStatus: Sendable {
    public var name = ""
    public var state = ""
    public var parentPID: Int32 = 0
    public var tracerPID: Int32 = 0
    public var realUID: UInt32 = 0
    public var effectiveUID: UInt32 = 0
    public var realGID: UInt32 = 0
    public var threadCount = 0
    /// Resident set size in bytes.
    public var residentBytes: Int64 = 0
    /// The process id in each pid namespace, outermost first (more than one in a container).
    public var namespacePIDs: [Int32] = []
    /// Signals the process catches, as a bit mask (bit N-1 for signal N).
    public var caughtSignals: UInt64 = 0
    /// Signals the process ignores, as a bit mask.
    public var ignoredSignals: UInt64 = 0
    /// Effective capabilities, as a bit mask.
    public var effectiveCapabilities: UInt64 = 0

    /// Parses the text of a status file; unknown lines are ignored.
    public init(parsing text: String) {
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].trimmingWhitespaceSubstring()
            let fields = value.split(whereSeparator: { $0 == " " || $0 == "\t" })
            switch key {
            case "Name": name = String(value)
            case "State": state = String(value)
            case "PPid": parentPID = Int32(value) ?? 0
            case "TracerPid": tracerPID = Int32(value) ?? 0
            case "Uid":
                realUID = fields.first.flatMap { UInt32($0) } ?? 0
                effectiveUID = fields.dropFirst().first.flatMap { UInt32($0) } ?? 0
            case "Gid": realGID = fields.first.flatMap { UInt32($0) } ?? 0
            case "Threads": threadCount = Int(value) ?? 0
            case "VmRSS": residentBytes = (fields.first.flatMap { Int64($0) } ?? 0) * 1024
            case "NSpid": namespacePIDs = fields.compactMap { Int32($0) }
            case "SigCgt": caughtSignals = UInt64(value, radix: 16) ?? 0
            case "SigIgn": ignoredSignals = UInt64(value, radix: 16) ?? 0
            case "CapEff": effectiveCapabilities = UInt64(value, radix: 16) ?? 0
            default: break
            }
        }
    }

    /// True when the mask has signal `number` set.
    public static func has(signal number: Int32, in mask: UInt64) -> Bool {
        number > 0 && number <= 64 && mask & (1 << UInt64(number - 1)) != 0
    }
}

extension Substring {
    func trimmingWhitespaceSubstring() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}
