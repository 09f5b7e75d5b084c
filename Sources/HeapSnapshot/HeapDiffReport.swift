/// What `diag diff` reports; also its `--json` form.
public struct HeapDiffReport: Codable, Sendable {
    /// A snapshot taking part in the diff.
    public struct SnapshotInfo: Codable, Sendable {
        public var file: String
        public var nodeCount: Int
        public var totalSize: Double
    }

    /// A Comparison-view row (DevTools' numbers).
    public struct ClassChange: Codable, Sendable, Equatable {
        public var key: String
        public var className: String
        public var newCount: Int
        public var deletedCount: Int
        public var countDelta: Int
        public var allocatedSize: UInt64
        public var freedSize: UInt64
        public var sizeDelta: Int64
    }

    /// A class-level change when ids cannot be compared: counts and sizes only.
    public struct ClassTotalsChange: Codable, Sendable, Equatable {
        public var key: String
        public var className: String
        public var baseCount: Int
        public var targetCount: Int
        public var countDelta: Int
        public var baseSize: UInt64
        public var targetSize: UInt64
        public var sizeDelta: Int64
    }

    /// A cluster of retained growth: groups with the same retainer path.
    public struct Suspect: Codable, Sendable {
        public var retainedSize: Double
        /// Groups (topmost new owners) and the new objects in them.
        public var groups: Int
        public var newObjects: Int
        /// The most telling class of the new objects: the largest JavaScript object class.
        public var mainClass: String
        public var classes: [ClassShare]
        public var representativeId: UInt32
        public var retainerPath: [RetainerStep]
        public var retainerPathText: String
        public var signature: String
    }

    /// New objects of one class in a suspect.
    public struct ClassShare: Codable, Sendable, Equatable {
        public var className: String
        public var count: Int
        public var shallowSize: UInt64
        public var retainedSize: Double
    }

    /// Whether object ids could be matched between the snapshots.
    public struct IdCheck: Codable, Sendable {
        public var comparable: Bool
        public var commonIds: Int
        public var agreement: Double
        public var note: String?
    }

    public var mode: String
    public var snapshots: [SnapshotInfo]
    public var ids: IdCheck
    /// Comparison view of the second snapshot against the first (nil when ids are not comparable).
    public var comparison: [ClassChange]?
    public var comparisonTotals: ClassTotals?
    /// Class-level fallback (only when ids are not comparable).
    public var classTotalsChanges: [ClassTotalsChange]?
    /// Memory held by new objects that are still alive (nil when ids are not comparable).
    public var retainedGrowth: Double?
    public var newObjects: Int?
    public var suspects: [Suspect]?
    /// The value compared with `--fail-if-growth`: retained growth, or the total size change
    /// when ids are not comparable.
    public var growthForThreshold: Double

    /// Sums over every Comparison row.
    public struct ClassTotals: Codable, Sendable {
        public var changedClasses: Int
        public var newCount: Int
        public var deletedCount: Int
        public var sizeDelta: Int64
    }
}
