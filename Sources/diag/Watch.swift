import ArgumentParser
import DiagSupport
import Foundation
import Metrics
import NodeChannel

/// `diag watch PID`: samples the metrics of a Node.js process every second and takes a CPU
/// profile or two heap snapshots when event-loop lag, CPU or heap growth pass a threshold.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Take CPU profiles or heap snapshots of a Node.js process when lag, CPU or heap growth pass a threshold.",
        discussion: """
        Every second diag reads the collectors of 'diag metrics'. When the event-loop lag p99 over 5 s passes --lag \
        or CPU over 5 s passes --cpu it records a 10 s CPU profile (.cpuprofile); when the used heap grew by \
        --heap-growth it takes two heap snapshots a minute apart in one session (for 'diag diff'). Each trigger \
        fires at most once a minute; one line per capture on standard output.
        """
    )

    @OptionGroup var target: TargetOption

    @Option(help: "Event-loop lag p99 over 5 s that triggers a 10 s CPU profile.")
    var lag = TimeSpan(seconds: 0.2)

    @Option(help: "Growth of the used heap (since the start, then since the last trigger) that triggers two heap snapshots a minute apart.")
    var heapGrowth = ByteSize(bytes: 50_000_000)

    @Option(help: ArgumentHelp("CPU use over 5 s, in percent of one core, that triggers a 10 s CPU profile.", valueName: "percent"))
    var cpu = "90%"

    @Option(name: .customLong("for"), help: "How long to watch.")
    var watchFor = TimeSpan(seconds: 600)

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Directory for the captures (files 0600).", valueName: "dir"))
    var output = "."

    /// Seconds between a heap trigger's two snapshots.
    static let snapshotGap = 60.0
    /// Length of a triggered CPU profile.
    static let profileSeconds = 10.0

    var cpuPercent: Double? { Double(cpu.hasSuffix("%") ? String(cpu.dropLast()) : cpu) }

    func validate() throws {
        guard let percent = cpuPercent, percent > 0 else { throw ValidationError("--cpu takes a percentage such as 90%") }
        guard watchFor.seconds > 0 else { throw ValidationError("--for must be longer than 0") }
        guard lag.seconds > 0, heapGrowth.bytes > 0 else { throw ValidationError("--lag and --heap-growth must be more than 0") }
    }

    /// The second snapshot of a heap trigger, due a minute after the first.
    private struct PendingSnapshot {
        var due: Double
        var reason: String
        var base: String
        var first: String
    }

    func run() throws {
        StopRequest.install()
        try OutputFile.check(output + "/capture")  // the directory exists and diag may write in it
        var triggers = WatchTriggers(lagSeconds: lag.seconds, cpuPercent: cpuPercent, heapGrowthBytes: Double(heapGrowth.bytes))
        try NodeChannel.withChannel(pid: target.pid, purpose: "diag watch needs a V8 target") { channel in
            channel.notes.forEach { Terminal.printError("diag: note: \($0)") }
            try channel.install(NodeCollectorSource.installName, source: NodeCollectorSource.source)
            Terminal.printError("diag: watching \(target.pid) for \(watchFor) (lag p99 > \(lag), CPU > \(cpu), heap growth >= \(heapGrowth)); Ctrl-C stops")
            let start = MonotonicClock.seconds()
            var pending: PendingSnapshot?
            var tick = 0
            while MonotonicClock.seconds() - start < watchFor.seconds, !StopRequest.isRequested {
                try channel.pump(seconds: 1)
                if StopRequest.isRequested { break }
                tick += 1
                let windowEnds = tick % 5 == 0
                let node = NodeMetrics(snapshot: try channel.evaluate(NodeCollectorSource.collectExpression(resetLag: windowEnds), awaitPromise: true))
                let process = try ProcessMetrics.read(pid: target.pid)
                let firings = triggers.add(time: MonotonicClock.seconds(), cpuSeconds: process.userCPUSeconds + process.systemCPUSeconds,
                                           heapUsedBytes: node.heapUsedBytes, lagP99Seconds: windowEnds ? node.loopDelayP99Seconds : nil)
                for firing in firings {
                    switch firing.action {
                    case .cpuProfile:
                        let path = try recordProfile(channel)
                        report(firing.reason, "wrote \(path)")
                    case .heapSnapshots where pending == nil:
                        let base = output + "/" + defaultOutputName(command: "heap", target: channel.target.scriptName, pid: target.pid,
                                                                    fileExtension: "heapsnapshot")
                        let path = try snapshot(channel, base: base, number: 1)
                        pending = PendingSnapshot(due: MonotonicClock.seconds() + Self.snapshotGap, reason: firing.reason, base: base, first: path)
                        Terminal.printError("diag: \(firing.reason): wrote \(path); the second snapshot follows in a minute")
                    case .heapSnapshots:
                        break
                    }
                }
                if let waiting = pending, MonotonicClock.seconds() >= waiting.due {
                    report(waiting.reason, "wrote \(waiting.first) and \(try snapshot(channel, base: waiting.base, number: 2)) (diag diff them)")
                    pending = nil
                }
            }
            if let waiting = pending {
                if StopRequest.isRequested {
                    Terminal.printError("diag: stopped before the second heap snapshot; \(waiting.first) is the only one")
                } else {
                    report(waiting.reason, "wrote \(waiting.first) and \(try snapshot(channel, base: waiting.base, number: 2)) (early: --for ended; diag diff them)")
                }
            }
        }
    }

    private func report(_ reason: String, _ what: String) {
        Terminal.printOut("\(Self.clock()) \(reason): \(what)\n")
    }

    private func recordProfile(_ channel: NodeChannel) throws -> String {
        let path = output + "/" + defaultOutputName(command: "cpu", target: channel.target.scriptName, pid: target.pid, fileExtension: "cpuprofile")
        let file = try OutputFile(path: path)
        let capture = try channel.captureCPUProfile(duration: Self.profileSeconds, intervalMicroseconds: 1_000_000 / 99)
        try file.write(bytes: capture.profileJSON)
        try file.commit()
        return path
    }

    /// Takes snapshot `number` of a pair into BASE-NUMBER.heapsnapshot, with its scripts sidecar.
    private func snapshot(_ channel: NodeChannel, base: String, number: Int) throws -> String {
        let path = Heap.numbered(base, number)
        let file = try OutputFile(path: path)
        let transfer = try channel.takeHeapSnapshot(collectGarbage: false, into: { try file.write(bytes: $0) })
        if transfer.interrupted {
            file.discard()
            throw DiagError(.failure, "interrupted: heap snapshot \(number) was not written")
        }
        try file.commit()
        try OutputFile.write(try JSONOutput.encode(ScriptMap(pid: target.pid, scripts: try channel.scriptURLs())) + "\n", to: Heap.scriptsPath(for: path))
        return path
    }

    /// UTC time of day for the output lines.
    private static func clock() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        let pad = { (value: Int32) in value < 10 ? "0\(value)" : "\(value)" }
        return "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))Z"
    }
}
