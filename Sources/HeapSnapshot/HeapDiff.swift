/// Runs `diag diff`: reads the snapshots (never more than two in memory at once), builds DevTools' Comparison of the first two, checks that ids are comparable, and
/// computes retained growth in the last one.
public enum HeapDiff {
    /// What a diff produces: the report, plus the analysis and growth the suspects file needs.
    public struct Outcome {
        public var report: HeapDiffReport
        public var target: SnapshotAnalysis?
        public var growth: RetainedGrowth?
    }

    /// `includeInternal` (`--all`) lists V8-internal growth among the suspects instead of
    /// summarising it in `v8InternalGrowth`.
    public static func run(paths: [String], top: Int, includeInternal: Bool = false, progress: ((String) -> Void)? = nil) throws -> Outcome {
        precondition((2...3).contains(paths.count))
        // A needs only class keys, and nothing from B until its keys take B's interface
        // definitions: it is read on a second thread while B is read and analyzed here.
        let basePath = paths[0]
        let baseLoad = BackgroundTask { try load(basePath, depth: .classes, progress: nil) }
        defer { _ = try? baseLoad.wait() }
        var b: SnapshotAnalysis? = try load(paths[1], depth: paths.count == 3 ? .classes : .full, progress: progress)
        let definitions = b!.interfaceDefinitions
        let tableB = b!.comparisonTable()
        var idsB: ObjectIdIndex? = ObjectIdIndex(b!)
        var infos = [HeapDiffReport.SnapshotInfo(file: paths[1], nodeCount: b!.graph.nodeCount, totalSize: b!.totalSize)]
        // B (the target with two snapshots) is not read again until A's table is built: it waits on file.
        if paths.count == 3 { b = nil } else { b!.park() }

        progress?("waiting for \(basePath)")
        var a: SnapshotAnalysis? = try baseLoad.wait()
        let idsA = ObjectIdIndex(a!)
        var check = IdComparability(base: idsA, target: idsB!)
        // With two snapshots B's ids are done with: freed before A's table is built, to lower the peak.
        if paths.count == 2 { idsB = nil }
        let tableA = a!.comparisonTable(interfaceDefinitions: definitions)
        infos.insert(.init(file: paths[0], nodeCount: a!.graph.nodeCount, totalSize: a!.totalSize), at: 0)
        a = nil
        baseLoad.clear()
        b?.unpark()

        var target = b
        if paths.count == 3 {
            let c = try load(paths[2], depth: .full, progress: progress)
            infos.append(.init(file: paths[2], nodeCount: c.graph.nodeCount, totalSize: c.totalSize))
            let ids = ObjectIdIndex(c)
            let second = IdComparability(base: idsB!, target: ids)
            if !second.comparable || second.agreement < check.agreement { check = second }
            target = c
        }
        let mode = paths.count == 3 ? "baseline-target-final" : "baseline-target"
        let totalDelta = infos.last!.totalSize - infos.first!.totalSize
        var report = HeapDiffReport(mode: mode, snapshots: infos,
                                    ids: .init(comparable: check.comparable, commonIds: check.commonIds, agreement: check.agreement, note: nil),
                                    growthForThreshold: totalDelta)
        guard check.comparable, let target else {
            report.ids.note = "object ids are not comparable (the snapshots come from different processes or inspector sessions: "
                + "\(formatShare(check.agreement)) of \(check.commonIds) shared ids name the same kind of object); "
                + "falling back to class-level comparison of counts and sizes"
            report.classTotalsChanges = classTotalsChanges(base: tableA, target: tableB)
            return Outcome(report: report, target: nil, growth: nil)
        }
        let rows = ComparisonTable.compare(base: tableA, target: tableB)
        report.comparison = rows.prefix(top).map {
            .init(key: $0.key, className: $0.name, newCount: $0.newCount, deletedCount: $0.deletedCount, countDelta: $0.countDelta,
                  allocatedSize: $0.allocatedSize, freedSize: $0.freedSize, sizeDelta: $0.sizeDelta)
        }
        report.comparisonTotals = .init(changedClasses: rows.count, newCount: rows.reduce(0) { $0 + $1.newCount },
                                        deletedCount: rows.reduce(0) { $0 + $1.deletedCount },
                                        sizeDelta: rows.reduce(0) { $0 + $1.sizeDelta })
        progress?("retained growth")
        // B's ids matter only with three snapshots (objects allocated between A and B).
        let allocatedBeforeB = idsB
        idsB = nil
        let isCandidate: (UInt32) -> Bool = { !idsA.contains($0) && (allocatedBeforeB?.contains($0) ?? true) }
        var growth = RetainedGrowth(target: target, isCandidate: isCandidate)
        let scripts = ScriptNames(besideSnapshot: paths[paths.count - 1])
        growth.resolvePaths(in: target, limit: top, includeInternal: includeInternal, scripts: scripts)
        report.retainedGrowth = growth.totalRetainedSize
        report.newObjects = growth.newObjects
        report.growthForThreshold = growth.totalRetainedSize
        report.suspects = growth.listed(includeInternal: includeInternal).prefix(top).enumerated().map { suspect($1, rank: $0 + 1) }
        if !includeInternal {
            let bookkeeping = growth.internalGrowth
            report.v8InternalGrowth = .init(retainedSize: bookkeeping.retainedSize, clusters: bookkeeping.clusters)
        }
        return Outcome(report: report, target: target, growth: growth)
    }

    static func load(_ path: String, depth: SnapshotAnalysis.Depth, progress: ((String) -> Void)?) throws -> SnapshotAnalysis {
        progress?("reading \(path)")
        let graph = try HeapSnapshotReader.read(path: path) { done, total in
            progress?("reading \(path): \(total > 0 ? done * 100 / total : 0)%")
        }
        progress?("analyzing \(path)")
        return SnapshotAnalysis(consume graph, depth: depth)
    }

    static func suspect(_ c: RetainedGrowth.Cluster, rank: Int) -> HeapDiffReport.Suspect {
        .init(cluster: rank, className: c.mainClass, count: c.count, retainedSize: c.retainedSize, groups: c.groups, newObjects: c.newObjects,
              classes: c.classes.prefix(5).map { .init(className: $0.name, count: $0.count, shallowSize: $0.shallowSize, retainedSize: $0.retainedSize) },
              isV8Internal: c.isV8Internal, representativeId: c.representativeId, retainerPath: c.path,
              retainerPathText: RetainerPathText.render(c.path),
              closureLocations: HeapDiffReport.ClosureLocation.on(c.path),
              signature: c.signature)
    }

    /// Per class key: count and shallow size before and after, without matching ids.
    static func classTotalsChanges(base: ComparisonTable, target: ComparisonTable) -> [HeapDiffReport.ClassTotalsChange] {
        var rows: [HeapDiffReport.ClassTotalsChange] = []
        for key in Set(base.entries.keys).union(target.entries.keys) {
            let b = base.entries[key], t = target.entries[key]
            let baseCount = b?.ids.count ?? 0, targetCount = t?.ids.count ?? 0
            let baseSize = b?.sizes.reduce(0) { $0 + UInt64($1) } ?? 0, targetSize = t?.sizes.reduce(0) { $0 + UInt64($1) } ?? 0
            let row = HeapDiffReport.ClassTotalsChange(key: key, className: t?.name ?? b?.name ?? "", baseCount: baseCount,
                                                       targetCount: targetCount, countDelta: targetCount - baseCount,
                                                       baseSize: baseSize, targetSize: targetSize,
                                                       sizeDelta: Int64(targetSize) - Int64(baseSize))
            if row.countDelta != 0 || row.sizeDelta != 0 { rows.append(row) }
        }
        return rows.sorted { ($0.sizeDelta, $0.countDelta, $1.key) > ($1.sizeDelta, $1.countDelta, $0.key) }
    }

    private static func formatShare(_ x: Double) -> String {
        let percent = (x * 1000).rounded() / 10
        return "\(percent)%"
    }
}
