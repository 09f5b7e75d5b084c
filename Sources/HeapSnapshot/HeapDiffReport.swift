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

    /// A cluster of retained growth: groups held the same way (one leak, one entry).
    public struct Suspect: Codable, Sendable {
        /// Rank in the report, from 1 (the first thing to fix).
        public var cluster: Int
        /// The objects that grow (a user class before the closures and arrays holding them).
        public var className: String
        /// New objects of `className` in the cluster.
        public var count: Int
        /// Σ retained size of the cluster's group heads.
        public var retainedSize: Double
        /// Groups (topmost new owners) and the new objects in them.
        public var groups: Int
        public var newObjects: Int
        public var classes: [ClassShare]
        /// Growth that is only V8 bookkeeping (listed only with `--all`).
        public var isV8Internal: Bool
        public var representativeId: UInt32
        /// The representative's retainer path: structured steps, and as the text shows it.
        public var retainerPath: [RetainerStep]
        public var retainerPathText: String
        /// Where the closures on the path are defined, root side first.
        public var closureLocations: [ClosureLocation]
        /// The normalized path the cluster's groups share.
        public var signature: String
    }

    /// A closure on a retainer path and where it is defined.
    public struct ClosureLocation: Codable, Sendable, Equatable {
        public var name: String
        public var location: CodeLocation

        /// The closures on `path` that have a location, root side first (unnamed ones as `(anonymous)`, as the path text shows them).
        public static func on(_ path: [RetainerStep]) -> [ClosureLocation] {
            path.compactMap { step in step.location.map { ClosureLocation(name: step.nodeName.isEmpty ? "(anonymous)" : step.nodeName, location: $0) } }
        }
    }

    /// The V8-internal clusters left out of `suspects` (without `--all`).
    public struct InternalGrowth: Codable, Sendable {
        public var retainedSize: Double
        public var clusters: Int
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
    /// V8-internal growth, summarised (nil with `--all`, which lists it among the suspects).
    public var v8InternalGrowth: InternalGrowth?
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
