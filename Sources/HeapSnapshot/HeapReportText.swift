import DiagSupport

/// Byte sizes as DevTools shows them (kB = 1000 B).
func bytes(_ size: Double) -> String { ByteSize.format(Int64(size.rounded())) }
func bytes(_ size: UInt64) -> String { ByteSize.format(Int64(clamping: size)) }
func signedBytes(_ size: Int64) -> String { (size > 0 ? "+" : "") + ByteSize.format(size) }
func signedCount(_ n: Int) -> String { n > 0 ? "+\(n)" : "\(n)" }

extension HeapSummaryReport {
    /// The text `diag summary` prints.
    public func render() -> String {
        var text = "\(file): \(nodeCount) nodes, \(edgeCount) edges, \(objectCount) objects, total \(bytes(totalSize)) (as DevTools shows it)\n"
        if unreachableNodes > 0 { text += "\(unreachableNodes) nodes are unreachable from the root over strong references\n" }
        text += "\nTop constructors by retained size:\n" + classTable(topByRetainedSize)
        text += "\nTop constructors by count:\n" + classTable(topByCount)
        text += "\nTop constructors by shallow size:\n" + classTable(topByShallowSize)
        text += "\nLargest objects and their shortest retainer path:\n"
        var table = TextTable(["RETAINED", "SHALLOW", "OBJECT"], alignments: [.right, .right, .left])
        for o in largestObjects {
            table.add([bytes(o.retainedSize), bytes(o.shallowSize), "\(o.className) @\(o.id)"])
        }
        text += table.render(indent: "  ")
        for o in largestObjects {
            text += "  \(o.className) @\(o.id): \(o.retainerPathText.isEmpty ? "(no path from a root)" : o.retainerPathText)\n"
        }
        return text
    }

    private func classTable(_ rows: [ClassRow]) -> String {
        var table = TextTable(["COUNT", "SHALLOW", "RETAINED", "DISTANCE", "CONSTRUCTOR"], alignments: [.right, .right, .right, .right, .left])
        for r in rows {
            table.add([String(r.count), bytes(r.shallowSize), bytes(r.retainedSize), distanceText(r.distance), r.className])
        }
        return table.render(indent: "  ")
    }

    private func distanceText(_ d: Int32) -> String {
        if d < 0 { return "-" }
        if d >= 100_000_000 { return "sys+\(d - 100_000_000)" }
        return String(d)
    }
}

extension HeapDiffReport {
    /// The text `diag diff` prints.
    public func render() -> String {
        var text = snapshots.map { "\($0.file): \($0.nodeCount) nodes, total \(bytes($0.totalSize))" }.joined(separator: "\n") + "\n"
        if let note = ids.note { text += "\nnote: \(note)\n" }
        if let rows = comparison, let totals = comparisonTotals {
            text += "\nPer constructor (DevTools Comparison view, \(snapshots[1].file) against \(snapshots[0].file)): "
                + "\(totals.changedClasses) changed, \(signedCount(totals.newCount - totals.deletedCount)) objects, \(signedBytes(totals.sizeDelta))\n"
            var table = TextTable(["NEW", "DELETED", "DELTA", "ALLOC", "FREED", "SIZE DELTA", "CONSTRUCTOR"],
                                  alignments: [.right, .right, .right, .right, .right, .right, .left])
            for r in rows {
                table.add([String(r.newCount), String(r.deletedCount), signedCount(r.countDelta), bytes(r.allocatedSize),
                           bytes(r.freedSize), signedBytes(r.sizeDelta), r.className])
            }
            text += table.render(indent: "  ")
        }
        if let changes = classTotalsChanges {
            text += "\nPer constructor (counts and sizes only):\n"
            var table = TextTable(["BEFORE", "AFTER", "DELTA", "SIZE DELTA", "CONSTRUCTOR"], alignments: [.right, .right, .right, .right, .left])
            for r in changes.prefix(max(10, suspects?.count ?? 0)) {
                table.add([String(r.baseCount), String(r.targetCount), signedCount(r.countDelta), signedBytes(r.sizeDelta), r.className])
            }
            text += table.render(indent: "  ")
        }
        if let growth = retainedGrowth, let suspects {
            let alive = mode == "baseline-target-final" ? "new in \(snapshots[1].file) and still alive in \(snapshots[2].file)" : "new in \(snapshots[1].file)"
            text += "\nRetained growth: \(bytes(growth)) held by \(newObjects ?? 0) objects \(alive)\n"
            for s in suspects {
                let classes = s.classes.prefix(3).map { "\($0.count) \($0.className)" }.joined(separator: ", ")
                text += "\n  #\(s.cluster) \(s.className) ×\(s.count), \(bytes(s.retainedSize)) retained\(s.isV8Internal ? " (V8 internal)" : "")"
                    + " — \(s.newObjects) new object\(s.newObjects == 1 ? "" : "s") in \(s.groups) group\(s.groups == 1 ? "" : "s"): \(classes)\n"
                text += "     held by: \(s.retainerPathText.isEmpty ? "(no path from a root)" : s.retainerPathText)\n"
            }
            if let bookkeeping = v8InternalGrowth, bookkeeping.clusters > 0 {
                text += "\n  V8 internal growth: \(bytes(bookkeeping.retainedSize)), see --all\n"
            }
        }
        return text
    }
}
