import ArgumentParser
import DiagSupport
import Foundation
import Glibc
import NodeChannel
import NodeInspector

/// `diag heap PID`: V8 heap snapshots of a Node.js process.
struct Heap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heap",
        abstract: "Take V8 heap snapshots of a running Node.js process.",
        discussion: """
        Opens the inspector with SIGUSR1 if needed (only after verifying the target is Node.js) \
        and closes it again. Several snapshots (--count) are taken in one inspector session so \
        that object ids stay comparable for 'diag diff'. The target's main thread is frozen \
        while V8 writes a snapshot, and its memory grows by up to about 12 times the heap in use: \
        diag refuses when that would pass the target's cgroup memory limit, unless --force.
        """
    )

    @OptionGroup var target: TargetOption

    @Flag(help: "Collect garbage before each snapshot.")
    var gc = false

    @Option(help: "Number of snapshots to take, written as NAME-1, NAME-2, ...")
    var count = 1

    @Option(help: "Time between snapshots when --count is more than 1.")
    var interval = TimeSpan(seconds: 30)

    @Flag(help: "Take the snapshot even when it may exceed the target's memory limit.")
    var force = false

    @OptionGroup var output: OutputOption
    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard count == 1 || output.output != "-" else { throw ValidationError("-o - writes one snapshot; use a file name with --count") }
    }

    /// One snapshot written, for the summary.
    struct SnapshotResult: Encodable {
        var path: String
        var scriptsPath: String?
        var bytes: Int64
        var seconds: Double
        var nodeCount: Int
        var totalSize: Int64
        var topConstructors: [HeapSnapshotDigest.ConstructorShare]
    }

    /// What `--json` prints.
    struct HeapReport: Encodable {
        var pid: Int32
        var memoryBefore: NodeMemoryUsage
        var cost: SnapshotCost
        var inspector: InspectorReport
        var snapshots: [SnapshotResult]
        var stoppedEarly: Bool
    }

    func run() throws {
        StopRequest.install()
        let node = try NodeTarget(pid: target.pid, purpose: "heap snapshots need a V8 target")
        let base = output.output ?? defaultOutputName(command: "heap", target: node.scriptName, pid: target.pid, fileExtension: "heapsnapshot")
        let paths = count == 1 ? [base] : (1...count).map { Self.numbered(base, $0) }
        try Self.checkWritable(paths[0])
        let progress = ProgressLine(quiet: report.quiet || report.json)
        let heapReport = try NodeChannel.withChannel(pid: target.pid, purpose: "heap snapshots need a V8 target") { session in
            if !report.quiet { session.notes.forEach { Terminal.printError("diag: note: \($0)") } }
            let usage = try session.memoryUsage()
            let cost = SnapshotCost.estimate(pid: target.pid, heapUsed: usage.heapUsed)
            try checkCost(cost)
            var results: [SnapshotResult] = []
            for (index, path) in paths.enumerated() {
                if index > 0 {
                    let next = MonotonicClock.seconds() + interval.seconds
                    try session.pump(seconds: interval.seconds) {
                        progress.update("next snapshot in \(formatDecimal(max(0, next - MonotonicClock.seconds())))s (\(index) of \(count) written; Ctrl-C stops)")
                        return false
                    }
                    progress.clear()
                    if StopRequest.isRequested { break }
                }
                do {
                    results.append(try takeOne(session, path: path, number: index + 1, progress: progress))
                } catch let error as DiagError where StopRequest.isRequested && !results.isEmpty {
                    // Keep the snapshots already written, with their sidecars and the summary.
                    Terminal.printError("diag: \(error.message)")
                    break
                }
            }
            let scripts = try session.scriptURLs()
            for index in results.indices where results[index].path != "-" {
                let sidecar = Self.scriptsPath(for: results[index].path)
                try OutputFile.write(try JSONOutput.encode(ScriptMap(pid: target.pid, scripts: scripts)) + "\n", to: sidecar)
                results[index].scriptsPath = sidecar
            }
            return HeapReport(pid: target.pid, memoryBefore: usage, cost: cost, inspector: InspectorReport(session),
                              snapshots: results, stoppedEarly: results.count < count)
        }
        try printReport(heapReport)
    }

    private func takeOne(_ session: NodeChannel, path: String, number: Int, progress: ProgressLine) throws -> SnapshotResult {
        let file = try OutputFile(path: path)
        let digest = HeapSnapshotDigest()
        let label = count > 1 ? "snapshot \(number) of \(count)" : "snapshot"
        let transfer = try session.takeHeapSnapshot(collectGarbage: gc, into: { piece in
            try file.write(bytes: piece)
            digest.consume(piece)
            if progress.isEnabled { progress.update("\(label): \(ByteSize.format(Int64(digest.bytesSeen))) received") }
        }, progress: progress.isEnabled ? { done, total in
            progress.update("\(label): V8 is walking the heap, \(done) of \(total) objects (the target is frozen meanwhile)")
        } : nil)
        progress.clear()
        if transfer.interrupted {
            file.discard()
            throw DiagError(.failure, "interrupted: \(label) was not written", hint: "the inspector was closed; the target runs on")
        }
        guard digest.isComplete else {
            file.discard()
            throw DiagError(.failure, "the snapshot the target sent is incomplete (\(transfer.bytes) bytes); nothing was written")
        }
        try file.commit()
        return SnapshotResult(path: path, scriptsPath: nil, bytes: transfer.bytes, seconds: transfer.seconds, nodeCount: digest.nodeCount,
                              totalSize: digest.totalSize, topConstructors: digest.topConstructors(limit: 15))
    }

    /// Refuses (without --force) a snapshot that would pass the cgroup's memory limit; warns otherwise.
    private func checkCost(_ cost: SnapshotCost) throws {
        let growth = ByteSize.format(cost.estimatedPeakGrowth)
        if cost.exceedsCgroupLimit, let limit = cost.cgroupLimit {
            let usage = cost.cgroupUsage.map { ", \(ByteSize.format($0)) in use" } ?? ""
            let message = "a heap snapshot may need \(growth) more memory in \(target.pid) (about \(SnapshotCost.peakGrowthFactor)x its "
                + "\(ByteSize.format(cost.heapUsed)) heap), more than its cgroup allows (limit \(ByteSize.format(limit))\(usage))"
            guard force else {
                throw DiagError(.failure, message + "; the kernel could kill it", hint: "add --force to take it anyway")
            }
            Terminal.printError("diag: warning: \(message); continuing because of --force")
        } else if cost.exceedsAvailableMemory, !report.quiet {
            Terminal.printError("diag: warning: a heap snapshot may need \(growth) more memory in \(target.pid); the machine has "
                + "\(ByteSize.format(cost.machineAvailable ?? 0)) available")
        }
        guard !report.quiet && !report.json else { return }
        Terminal.printError("diag: the target's main thread stops while V8 writes the snapshot (heap in use \(ByteSize.format(cost.heapUsed)); "
            + "about 1s per 10 MB here), and its memory may grow by up to \(growth), not all of it returned to the OS")
    }

    private func printReport(_ heapReport: HeapReport) throws {
        if report.json {
            try JSONOutput.print(heapReport)
            return
        }
        guard !report.quiet else { return }
        var text = ""
        for snapshot in heapReport.snapshots {
            text += "Wrote \(snapshot.path): \(ByteSize.format(snapshot.bytes)) in \(formatDecimal(snapshot.seconds))s, "
            text += "\(snapshot.nodeCount) nodes, \(ByteSize.format(snapshot.totalSize)) total shallow size\n"
            if let scripts = snapshot.scriptsPath { text += "  script URLs by scriptId: \(scripts)\n" }
        }
        if heapReport.stoppedEarly { text += "Stopped after \(heapReport.snapshots.count) of \(count) snapshots.\n" }
        if let last = heapReport.snapshots.last {
            text += "\nTop constructors by shallow size\(heapReport.snapshots.count > 1 ? " (last snapshot)" : ""):\n"
            var table = TextTable(["COUNT", "SHALLOW", "CONSTRUCTOR"], alignments: [.right, .right, .left])
            for share in last.topConstructors.prefix(10) { table.add([String(share.count), ByteSize.format(share.shallowSize), share.name]) }
            text += table.render(indent: "  ")
        }
        if heapReport.snapshots.first?.path == "-" { Terminal.printError(text) } else { Terminal.printOut(text) }
    }

    /// Fails before the inspector is touched when the output's directory cannot be written.
    static func checkWritable(_ path: String) throws {
        guard path != "-" else { return }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        guard access(directory.isEmpty ? "/" : directory, W_OK) == 0 else {
            throw DiagError.system("cannot write in \(directory.isEmpty ? "/" : directory)", errno: errno)
        }
    }

    /// `heap.heapsnapshot` → `heap-2.heapsnapshot`.
    static func numbered(_ path: String, _ number: Int) -> String {
        let suffix = ".heapsnapshot"
        guard path.hasSuffix(suffix) else { return "\(path)-\(number)" }
        return "\(path.dropLast(suffix.count))-\(number)\(suffix)"
    }

    /// `heap.heapsnapshot` → `heap.scripts.json`.
    static func scriptsPath(for path: String) -> String {
        let suffix = ".heapsnapshot"
        return (path.hasSuffix(suffix) ? String(path.dropLast(suffix.count)) : path) + ".scripts.json"
    }
}

/// The sidecar written next to each snapshot: V8's scriptId → script URL.
struct ScriptMap: Encodable {
    var pid: Int32
    var scripts: [String: String]
}
