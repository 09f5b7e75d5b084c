import DiagSupport
import Foundation
@testable import HeapSnapshot
import Testing
import TestSupport

/// Mutants of a small real heap snapshot, and of its `.scripts.json` side file, give a clean
/// error or a report: never a trap, never a hang. Most run in-process through what
/// `diag summary` and `diag diff` run (reader, analyses, retainer paths, growth clusters, the
/// suspects file); a few through the `diag` binary, which must exit below 128.
@Suite(.serialized) struct HeapSnapshotFuzzTests {
    /// A small snapshot made of real V8 data: the suspects file (`SuspectsSnapshotWriter`) of
    /// the planted leak, with the ids, names, types, edges and closure locations Node wrote,
    /// and a side file in the format `diag heap` writes, naming the scripts of its locations.
    struct Inputs: Sendable {
        let snapshot: [UInt8]
        let scripts: [UInt8]
    }

    static let inputs: Result<Inputs, FixtureError> = {
        do {
            let files = try PlantedLeakSnapshots.get()
            let outcome = try HeapDiff.run(paths: [files.a, files.b], top: 3)
            guard let target = outcome.target, let growth = outcome.growth else { return .failure(FixtureError("the planted leak has no growth")) }
            let path = try writeTemporary("", name: "fuzz-base.heapsnapshot")
            // The leak's clusters, and some thirty small objects held from the globals, spread over the heap.
            let small = (0..<target.graph.nodeCount).filter {
                target.retainedSizes[$0] > 100 && target.retainedSizes[$0] < 4000 && target.distances[$0] < 100
            }
            let spread = stride(from: 0, to: small.count, by: max(1, small.count / 30)).map { small[$0] }
            unlink(path)  // diag never writes over a file
            try SuspectsSnapshotWriter.write(path: path, analysis: target,
                                             clusters: growth.clusters.prefix(3).map { [$0.representative] } + [spread])
            let snapshot = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            print("fuzz base snapshot: \(snapshot.count) bytes")
            let graph = try HeapSnapshotReader.read(path: path)
            var urls: [String: String] = [:]
            for i in 0..<graph.locations.count {
                let id = graph.locations[i].scriptId
                urls[String(id)] = id % 2 == 0 ? "file:///srv/app/lib/module-\(id).js" : "node:internal/modules/cjs/loader"
            }
            let side = try JSONSerialization.data(withJSONObject: ["pid": 4242, "scripts": urls], options: [.prettyPrinted, .sortedKeys])
            return .success(Inputs(snapshot: snapshot, scripts: Array(side)))
        } catch let error as FixtureError {
            return .failure(error)
        } catch {
            return .failure(FixtureError("\(error)"))
        }
    }()

    /// What `diag summary FILE.heapsnapshot` runs (with and without `--all`).
    static func summarize(_ path: String, includeInternal: Bool) throws {
        let analysis = SnapshotAnalysis(try HeapSnapshotReader.read(path: path), depth: .summary)
        let report = HeapSummaryReport(file: path, fileSize: 0, analysis: analysis, top: 5, includeInternal: includeInternal)
        _ = report.render()
        _ = try JSONEncoder().encode(report)
    }

    /// What `diag diff A B [C] --write-suspects S` runs.
    static func diff(_ paths: [String], includeInternal: Bool, suspects: String) throws {
        let outcome = try HeapDiff.run(paths: paths, top: 5, includeInternal: includeInternal)
        _ = outcome.report.render()
        _ = try JSONEncoder().encode(outcome.report)
        if let target = outcome.target, let growth = outcome.growth {
            try? FileManager.default.removeItem(atPath: suspects)
            try SuspectsSnapshotWriter.write(path: suspects, analysis: target,
                                             clusters: growth.listed(includeInternal: includeInternal).prefix(5).map(\.suspectsFileObjects))
            try summarize(suspects, includeInternal: true)
        }
    }

    /// Runs `body`; a `HeapSnapshotError` is a clean outcome, any other error is reported.
    static func clean(_ body: () throws -> Void) -> String? {
        do { try body() } catch is HeapSnapshotError {} catch {
            return "unexpected error type \(type(of: error)): \(error)"
        }
        return nil
    }

    @Test(.timeLimit(.minutes(6)))
    func mutantsNeverCrashOrHangInProcess() throws {
        let inputs = try Self.inputs.get()
        let mutator = try HeapSnapshotMutator(inputs.snapshot)
        let base = try writeTemporary("", name: "base.heapsnapshot")
        try Data(mutator.serialized()).write(to: URL(fileURLWithPath: base))
        let suspects = "\(try FixturePaths.temporaryDirectory("diag-heap-fuzz"))/suspects.heapsnapshot"
        #expect(Self.clean { try Self.summarize(base, includeInternal: false) } == nil)
        let campaign = try FuzzCampaign(kind: "heapsnapshot", seed: 20261209, mutants: 2000)
        var number = 0, analyzed = 0
        let failures = try campaign.run(original: inputs.snapshot, mutate: { _, rng in mutator.mutant(&rng) }) { _, path in
            number += 1
            let all = number % 2 == 0
            // Every mutant is summarized; every fourth is also the target of a diff, every eighth the base.
            return Self.clean {
                try Self.summarize(path, includeInternal: all)
                analyzed += 1
                if number % 4 == 0 { try Self.diff([base, path], includeInternal: all, suspects: suspects) }
                if number % 8 == 1 { try Self.diff([path, base], includeInternal: all, suspects: suspects) }
            }
        }
        print("fuzz heapsnapshot: \(analyzed) of \(number) mutants were analyzed, the others refused")
        #expect(failures.isEmpty, "\(failures.prefix(5).joined(separator: "\n"))")
        // Most mutants must get past the reader, or the analyses are not being tried.
        #expect(analyzed * 4 > number)
    }

    @Test(.timeLimit(.minutes(4)))
    func scriptsSideFileMutantsNeverCrashOrHang() throws {
        let inputs = try Self.inputs.get()
        let campaign = try FuzzCampaign(kind: "scripts.json", seed: 20261210, mutants: 2000)
        // The side file is read beside the snapshot: current.scripts.json next to current.heapsnapshot.
        let snapshot = "\(campaign.directory)/current.heapsnapshot"
        try Data(inputs.snapshot).write(to: URL(fileURLWithPath: snapshot))
        let analysis = SnapshotAnalysis(try HeapSnapshotReader.read(path: snapshot))
        let objects = analysis.largestObjects(limit: 5, includeInternal: true)
        let failures = try campaign.run(original: inputs.scripts, mutate: Self.mutateJSON) { _, _ in
            // What HeapSummaryReport and diff's growth clusters do with the side file.
            let scripts = ScriptNames(besideSnapshot: snapshot)
            for node in objects { _ = RetainerPathText.render(analysis.retainerPath(to: node, scripts: scripts)) }
            return nil
        }
        #expect(failures.isEmpty, "\(failures.prefix(5).joined(separator: "\n"))")
    }

    /// Up to three byte-level mutations stacked.
    static func mutateJSON(_ original: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var bytes = original
        for _ in 0..<Int.random(in: 1...3, using: &rng) { bytes = Mutator.mutateJSON(bytes, &rng) }
        return bytes
    }

    @Test(.timeLimit(.minutes(6)))
    func mutantsExitCleanlyThroughDiag() throws {
        let inputs = try Self.inputs.get()
        let mutator = try HeapSnapshotMutator(inputs.snapshot)
        let directory = try FixturePaths.temporaryDirectory("diag-heap-fuzz")
        let base = "\(directory)/base.heapsnapshot"
        try Data(inputs.snapshot).write(to: URL(fileURLWithPath: base))
        let campaign = try FuzzCampaign(kind: "heapsnapshot", seed: 20261211, mutants: 120)
        var number = 0
        var failures = try campaign.run(original: inputs.snapshot, mutate: { _, rng in mutator.mutant(&rng) }) { _, path in
            number += 1
            let arguments = number % 3 == 0 ? ["diff", base, path, "--write-suspects", "\(directory)/suspects-\(number).heapsnapshot"]
                : number % 3 == 1 ? ["summary", path] : ["diff", path, base, "--json"]
            return FuzzCampaign.cleanExit(try Command.diag(arguments, timeout: 30))
        }
        let scripts = try FuzzCampaign(kind: "scripts.json", seed: 20261212, mutants: 20)
        try Data(inputs.snapshot).write(to: URL(fileURLWithPath: "\(scripts.directory)/current.heapsnapshot"))
        failures += try scripts.run(original: inputs.scripts, mutate: Self.mutateJSON) { _, _ in
            FuzzCampaign.cleanExit(try Command.diag(["summary", "\(scripts.directory)/current.heapsnapshot", "--all"], timeout: 30))
        }
        #expect(failures.isEmpty, "\(failures.prefix(5).joined(separator: "\n"))")
    }
}

/// Crafted snapshots for what the fuzz test found, minimized, and for depth.
@Suite struct HostileSnapshotTests {
    /// The root holding one global more often than there are nodes once filled the distance
    /// queue past its end (a trap).
    @Test func aRootHoldingAGlobalMoreTimesThanThereAreNodesIsAnalyzed() throws {
        var builder = SnapshotBuilder()
        let root = builder.node("synthetic", "")
        let global = builder.node("object", "global / ", size: 10)
        for _ in 0..<5 { builder.edge(root, "element", "1", global) }
        let analysis = SnapshotAnalysis(try HeapSnapshotReader.read(path: try writeTemporary(builder.text())))
        #expect(analysis.distances[global] == 1)
        #expect(analysis.retainedSizes[global] == 10)
    }

    /// A total size beyond Int64 once trapped when printed; such a byte count is now refused.
    @Test func extraNativeBytesBeyondTwoToThe62AreAnError() throws {
        var builder = SnapshotBuilder()
        _ = builder.node("synthetic", "")
        let text = builder.text().replacingOccurrences(of: "\"trace_function_count\":0", with: "\"trace_function_count\":0,\"extra_native_bytes\":9223372036854775807")
        #expect(throws: HeapSnapshotError.self) { try HeapSnapshotReader.read(path: try writeTemporary(text)) }
        #expect(ByteSize(approximately: 1e300).bytes > 9_000_000_000_000_000_000)
        #expect(ByteSize(approximately: .nan).bytes == 0)
    }

    /// A chain of 200,000 objects, closed into a cycle: every analysis is iterative, so no
    /// stack overflow, and retainer paths stop at 100 steps.
    @Test(.timeLimit(.minutes(1)))
    func aLongChainAndACycleAreAnalyzed() throws {
        var builder = SnapshotBuilder()
        let root = builder.node("synthetic", "")
        let global = builder.node("object", "global / ", size: 8)
        builder.edge(root, "element", "1", global)
        var previous = global
        for _ in 0..<200_000 {
            let next = builder.node("object", "Link", size: 16)
            builder.edge(previous, "property", "next", next)
            previous = next
        }
        builder.edge(previous, "property", "first", global + 1)
        let path = try writeTemporary(builder.text(), name: "chain.heapsnapshot")
        let analysis = SnapshotAnalysis(try HeapSnapshotReader.read(path: path), depth: .summary)
        #expect(analysis.retainedSizes[global] == 8 + 200_000 * 16)
        let report = HeapSummaryReport(file: path, fileSize: 0, analysis: analysis, top: 3)
        _ = report.render()
        #expect(analysis.retainerPath(to: previous).count == 100)
    }
}
