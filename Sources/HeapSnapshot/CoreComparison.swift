/// One core's objects per constructor, for `diag diff A.core B.core`: their tagged
/// addresses and shallow sizes, in address order.
public struct CoreObjectTable: Sendable {
    public var file: String
    public var objects: Int
    public var bytes: UInt64
    public var entries: [String: [(address: UInt64, size: UInt64)]]

    public init(file: String, objects: Int, bytes: UInt64, entries: [String: [(address: UInt64, size: UInt64)]]) {
        self.file = file
        self.objects = objects
        self.bytes = bytes
        self.entries = entries
    }
}

extension HeapDiffReport {
    /// The note every core diff carries: what "new" and "deleted" mean without object ids.
    public static let coreMatchingNote = "cores have no object ids: an object is the same in both when its constructor and address are; "
        + "an object the GC moved counts as deleted and new, so NEW and DELETED may both be high, but DELTA and SIZE DELTA are exact"

    /// DevTools' Comparison view for two cores of one process, objects matched by address
    /// (mode `cores`): the same `comparison` rows as a snapshot diff, no retained growth.
    public static func cores(base: CoreObjectTable, target: CoreObjectTable, top: Int) -> HeapDiffReport {
        var rows: [ClassChange] = []
        var common = 0
        for name in Set(base.entries.keys).union(target.entries.keys) {
            let b = base.entries[name] ?? [], t = target.entries[name] ?? []
            var row = ClassChange(key: "," + name, className: name, newCount: 0, deletedCount: 0, countDelta: 0,
                                  allocatedSize: 0, freedSize: 0, sizeDelta: 0)
            var i = 0, j = 0
            while i < b.count || j < t.count {
                if j == t.count || (i < b.count && b[i].address < t[j].address) {
                    row.deletedCount += 1; row.freedSize += b[i].size; i += 1
                } else if i == b.count || b[i].address > t[j].address {
                    row.newCount += 1; row.allocatedSize += t[j].size; j += 1
                } else {
                    if b[i].size != t[j].size { row.freedSize += b[i].size; row.allocatedSize += t[j].size; row.newCount += 1; row.deletedCount += 1 }
                    common += 1; i += 1; j += 1
                }
            }
            row.countDelta = row.newCount - row.deletedCount
            row.sizeDelta = Int64(row.allocatedSize) - Int64(row.freedSize)
            if row.newCount > 0 || row.deletedCount > 0 { rows.append(row) }
        }
        rows.sort { ($0.sizeDelta, $0.countDelta, $1.key) > ($1.sizeDelta, $1.countDelta, $0.key) }
        let infos = [base, target].map { SnapshotInfo(file: $0.file, nodeCount: $0.objects, totalSize: Double($0.bytes)) }
        var report = HeapDiffReport(mode: "cores", snapshots: infos,
                                    ids: IdCheck(comparable: false, commonIds: common, agreement: 1, note: coreMatchingNote),
                                    growthForThreshold: Double(target.bytes) - Double(base.bytes))
        report.comparison = Array(rows.prefix(top))
        report.comparisonTotals = ClassTotals(changedClasses: rows.count, newCount: rows.reduce(0) { $0 + $1.newCount },
                                              deletedCount: rows.reduce(0) { $0 + $1.deletedCount },
                                              sizeDelta: rows.reduce(0) { $0 + $1.sizeDelta })
        return report
    }
}
