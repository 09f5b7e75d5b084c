import ArgumentParser
import DiagSupport
import Foundation
import Metrics
import NodeChannel
import TargetProcess

/// `diag metrics PID`: prom-client's default metrics and HTTP request-duration histograms of a
/// running process, in the Prometheus text format, once or served on `--listen`.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Prometheus metrics of a running process (prom-client's names; HTTP RED metrics for Node.js).",
        discussion: """
        On a Node.js target diag installs collectors through its private channel: event-loop delay, \
        heap, handles, gc and http_request_duration_seconds from Node's diagnostics_channel HTTP \
        server channels. process_* metrics are read from /proc for any process. Everything \
        installed is removed when diag exits.
        """
    )

    @OptionGroup var target: TargetOption

    @Option(help: "How long to collect before printing (one-shot mode).")
    var duration = TimeSpan(seconds: 10)

    @Option(help: ArgumentHelp("Serve /metrics on HOST:PORT until Ctrl-C or SIGTERM instead of printing once.", valueName: "host:port"))
    var listen: String?

    @Flag(help: "Print the metrics as JSON instead of the Prometheus text format (one-shot mode).")
    var json = false

    func validate() throws {
        guard duration.seconds > 0 else { throw ValidationError("--duration must be longer than 0") }
        if let listen { _ = try ListenAddress(parsing: listen) }
        if listen != nil && json { throw ValidationError("--json prints one snapshot; it does not combine with --listen") }
    }

    func run() throws {
        StopRequest.install()
        let process = try TargetProcess(pid: target.pid)
        let server = try listen.map { text -> MetricsHTTPServer in
            let address = try ListenAddress(parsing: text)
            return try MetricsHTTPServer(host: address.host, port: address.port)
        }
        if let server, !server.isLoopback {
            Terminal.printError("diag: serving /metrics on \(server.host):\(server.port), reachable from other machines")
        }
        guard RuntimeDetector.detect(process).isNode else {
            try runNative(server: server)
            return
        }
        try NodeChannel.withChannel(pid: target.pid, purpose: "Node.js metrics need a V8 target") { channel in
            channel.notes.forEach { Terminal.printError("diag: note: \($0)") }
            try channel.install(NodeCollectorSource.installName, source: NodeCollectorSource.source)
            let collect = { () throws -> [MetricFamily] in
                let snapshot = try channel.evaluate(NodeCollectorSource.collectExpression(resetLag: true), awaitPromise: true)
                return try ProcessMetrics.read(pid: target.pid).families + NodeMetrics(snapshot: snapshot).families
            }
            if let server {
                try serve(server, pump: { try channel.pump(seconds: 0.5, until: { server.hasPendingConnection }) }, collect: collect)
            } else {
                try channel.pump(seconds: duration.seconds)
                try printOnce(try collect())
            }
        }
    }

    /// A process that is not Node.js: the process_* metrics from /proc, nothing installed.
    private func runNative(server: MetricsHTTPServer?) throws {
        let collect = { try ProcessMetrics.read(pid: target.pid).families }
        let pump = {
            let deadline = MonotonicClock.seconds() + 0.5
            while MonotonicClock.seconds() < deadline, !StopRequest.isRequested, server?.hasPendingConnection != true { usleep(10_000) }
            guard kill(target.pid, 0) == 0 || errno == EPERM else { throw DiagError(.notFound, "process \(target.pid) exited") }
        }
        if let server {
            try serve(server, pump: pump, collect: collect)
        } else {
            let deadline = MonotonicClock.seconds() + duration.seconds
            while MonotonicClock.seconds() < deadline, !StopRequest.isRequested { try pump() }
            try printOnce(try collect())
        }
    }

    private func serve(_ server: MetricsHTTPServer, pump: () throws -> Void, collect: () throws -> [MetricFamily]) throws {
        Terminal.printError("diag: serving http://\(server.host.contains(":") ? "[\(server.host)]" : server.host):\(server.port)/metrics "
            + "for process \(target.pid); Ctrl-C stops")
        while !StopRequest.isRequested {
            try pump()
            if server.hasPendingConnection {
                try server.serveOne { PrometheusText.render(try collect()) }
            }
        }
    }

    private func printOnce(_ families: [MetricFamily]) throws {
        if json {
            try JSONOutput.print(MetricsJSON(pid: target.pid, durationMilliseconds: duration.milliseconds, families: families))
        } else {
            Terminal.printOut(PrometheusText.render(families))
        }
    }
}

/// `HOST:PORT` or `[IPv6]:PORT`.
struct ListenAddress {
    let host: String
    let port: UInt16

    init(parsing text: String) throws {
        let bad = ValidationError("--listen takes HOST:PORT, e.g. 127.0.0.1:9464 or [::1]:9464")
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { throw bad }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw bad }
        self.host = host
        self.port = port
    }
}

/// What `diag metrics --json` prints: the families with their series.
struct MetricsJSON: Encodable {
    struct Family: Encodable {
        var name: String
        var help: String
        var type: String
        var samples: [Sample]?
        var buckets: [Double]?
        var histograms: [Histogram]?
    }

    struct Sample: Encodable {
        var labels: [String: String]
        var value: Double
    }

    struct Histogram: Encodable {
        var labels: [String: String]
        /// Cumulative counts per bucket bound, as Prometheus exposes them (without +Inf).
        var cumulativeCounts: [Int]
        var count: Int
        var sum: Double
    }

    var pid: Int32
    var durationMilliseconds: Double
    var metrics: [Family]

    init(pid: Int32, durationMilliseconds: Double, families: [MetricFamily]) {
        self.pid = pid
        self.durationMilliseconds = durationMilliseconds
        let labels = { (list: [MetricFamily.Label]) in Dictionary(list.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }) }
        metrics = families.map { family in
            guard family.kind == .histogram else {
                return Family(name: family.name, help: family.help, type: family.kind.rawValue,
                              samples: family.samples.map { Sample(labels: labels($0.labels), value: $0.value) })
            }
            return Family(name: family.name, help: family.help, type: "histogram", buckets: family.bounds,
                          histograms: family.histograms.map { series in
                              var running = 0
                              let cumulative = family.bounds.indices.map { index in
                                  running += index < series.counts.count ? series.counts[index] : 0
                                  return running
                              }
                              return Histogram(labels: labels(series.labels), cumulativeCounts: cumulative, count: series.count, sum: series.sum)
                          })
        }
    }
}
