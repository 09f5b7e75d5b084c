import ArgumentParser
import DiagSupport
import Foundation
import HeapSnapshot
import Profiles

/// `diag summary FILE`: read any diag output without a browser.
struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Summarize a .heapsnapshot or .cpuprofile file.",
        discussion: "Heap snapshots: totals, top constructors by count, shallow and retained size, the largest objects and their retainers. CPU profiles: top functions by self and total time."
    )

    @Argument(help: ArgumentHelp("A .heapsnapshot or .cpuprofile file.", valueName: "file"))
    var file: String

    @Option(help: "Rows per table.")
    var top = 10

    @Flag(help: "Heap snapshots: let V8 internals and objects held only by GC roots into the largest objects.")
    var all = false

    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: file) else { throw DiagError(.notFound, "no such file \(file)") }
        if try HeapSnapshotFile.looksLikeHeapSnapshot(file) {
            try summarizeHeapSnapshot()
        } else {
            try summarizeProfile()
        }
    }

    private func summarizeHeapSnapshot() throws {
        let progress = ProgressLine(quiet: report.quiet || report.json)
        defer { progress.clear() }
        let analysis = try HeapSnapshotFile.analyze(file, progress: progress)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.uint64Value ?? 0
        let summary = HeapSummaryReport(file: file, fileSize: size, analysis: analysis, top: top, includeInternal: all)
        progress.clear()
        if report.json { try JSONOutput.print(summary) } else if !report.quiet { Terminal.printOut(summary.render()) }
    }

    private func summarizeProfile() throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw DiagError(.failure, "cannot read \(file): \(error.localizedDescription)")
        }
        let profile: CPUProfile
        do { profile = try CPUProfile.decode(data) } catch {
            throw DiagError(.failure, "\(file) is neither a heap snapshot nor a CPU profile: \(error)",
                            hint: "diag summary reads .heapsnapshot and .cpuprofile files")
        }
        var summary = ProfileSummary(profile: profile)
        summary.bySelf = Array(summary.bySelf.prefix(top))
        summary.byTotal = Array(summary.byTotal.prefix(top))
        if report.json { try JSONOutput.print(summary) } else if !report.quiet {
            Terminal.printOut("\(file): \(summary.sampleCount) samples over \(TimeSpan(seconds: summary.durationMilliseconds / 1000))\n\n")
            Terminal.printOut(summary.renderTopFunctions(limit: top))
        }
    }
}

/// Reading heap snapshots for the CLI: file sniffing, progress, and errors as `DiagError`.
enum HeapSnapshotFile {
    /// True when the file starts like a V8 heap snapshot (`{"snapshot":`).
    static func looksLikeHeapSnapshot(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DiagError(.failure, "cannot open \(path)") }
        defer { try? handle.close() }
        let head = String(decoding: handle.readData(ofLength: 256), as: UTF8.self)
        let compact = head.filter { !$0.isWhitespace }
        return compact.hasPrefix("{\"snapshot\"") || (path.hasSuffix(".heapsnapshot") && !compact.hasPrefix("{\"nodes\""))
    }

    /// Reads and analyzes a snapshot, showing progress on a terminal. With `DIAG_HEAP_TIMINGS`
    /// set, the time of each phase goes to standard error (used by scripts/bench-heap).
    static func analyze(_ path: String, progress: ProgressLine) throws -> SnapshotAnalysis {
        let timings = ProcessInfo.processInfo.environment["DIAG_HEAP_TIMINGS"] != nil
        var phaseStart = MonotonicClock.seconds()
        func phase(_ name: String) {
            let now = MonotonicClock.seconds()
            if timings { Terminal.printError("timing \(name) \(now - phaseStart) peak-rss-kB \(residentKilobytes("VmHWM:")) rss-kB \(residentKilobytes("VmRSS:"))") }
            phaseStart = now
        }
        do {
            let graph = try HeapSnapshotReader.read(path: path) { done, total in
                progress.update("reading \(path): \(total > 0 ? done * 100 / total : 0)%")
            }
            phase("parse")
            let analysis = SnapshotAnalysis(consume graph, depth: .summary) { step in
                phase("before \(step)")
                progress.update("analyzing \(path): \(step)")
            }
            phase("analysis-tail")
            return analysis
        } catch let error as HeapSnapshotError {
            throw diagError(error)
        }
    }

    /// A /proc/self/status line in kB: `VmHWM:` (the peak resident set so far) or `VmRSS:` (now).
    private static func residentKilobytes(_ field: String) -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(field) } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    static func diagError(_ error: HeapSnapshotError) -> DiagError {
        if case let .io(path, reason) = error, reason.contains("No such file") {
            return DiagError(.notFound, "no such file \(path)")
        }
        return DiagError(.failure, error.description, hint: "the file must be a complete .heapsnapshot as V8 writes it")
    }
}
