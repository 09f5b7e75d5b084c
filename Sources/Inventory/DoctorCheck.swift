/// One finding of `diag doctor`: what was checked, how it stands, and the exact fix.
public struct DoctorCheck: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, Comparable {
        case ok, warn, fail

        public static func < (lhs: Status, rhs: Status) -> Bool {
            let order: [Status] = [.ok, .warn, .fail]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// A short name: `ptrace`, `debug info`, `core dumps`, ...
    public var name: String
    public var status: Status
    /// What was found.
    public var detail: String
    /// What to do about it (nil when nothing needs doing).
    public var fix: String?

    public init(_ name: String, _ status: Status, _ detail: String, fix: String? = nil) {
        self.name = name
        self.status = status
        self.detail = detail
        self.fix = fix
    }
}

/// Everything `diag doctor` found, for the machine and optionally one process.
public struct DoctorReport: Codable, Sendable {
    public struct Target: Codable, Sendable {
        public var pid: Int32
        public var name: String
        public var runtime: String
    }

    public var target: Target?
    public var checks: [DoctorCheck]

    /// The worst status among the checks.
    public var worst: DoctorCheck.Status { checks.map(\.status).max() ?? .ok }
}
