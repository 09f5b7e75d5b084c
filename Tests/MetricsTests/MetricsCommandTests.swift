import Foundation
import Glibc
import NodeChannel
import NodeInspector
import Testing
import TestSupport

/// `diag metrics` on a real express service (Debian's node-express) and on a native process.
@Suite(.serialized) struct MetricsCommandTests {
    static let expressAvailable = FileManager.default.fileExists(atPath: "/usr/share/nodejs/express/package.json")

    /// Requests of several methods, routes and status codes, made by node itself, one after another.
    static let requests: [(method: String, path: String)] = [
        ("GET", "/api/users/1"), ("GET", "/api/users/2"), ("GET", "/api/users/3"), ("POST", "/api/users"), ("POST", "/api/users"),
        ("DELETE", "/api/users/9"), ("GET", "/slow"), ("GET", "/slow"), ("GET", "/fail"), ("GET", "/nothing/123"), ("GET", "/nothing/456"),
    ]
    /// method, route, status_code → count, as the histogram must report them.
    static let expected: [String: Int] = [
        "GET /api/users/:id 200": 3, "POST /api/users 201": 2, "DELETE /api/users/:id 404": 1, "GET /slow 200": 2,
        "GET /fail 500": 1, "GET /nothing/:id 404": 2,
    ]

    @Test(.enabled(if: expressAvailable)) func listenServesExactCountsAndRemovesEverythingOnSIGINT() throws {
        let service = try NodeService("express-service.js", environment: ["NODE_PATH": "/usr/share/nodejs"])
        let diag = try BackgroundDiag(["metrics", String(service.pid), "--listen", "127.0.0.1:0"])
        #expect(diag.waitForStandardError(containing: "/metrics for process", timeout: 30), "\(diag.standardError)")
        let port = try #require(Self.listenPort(in: diag.standardError))
        try Self.send(Self.requests, to: service.appPort)
        let text = try LoopbackHTTP.get(port: port, path: "/metrics", timeout: 10).text
        let counts = Self.histogramCounts(text)
        #expect(counts == Self.expected)
        // /slow takes 30 ms: nothing in the buckets below 0.025 s.
        #expect(text.contains("http_request_duration_seconds_bucket{le=\"0.025\",method=\"GET\",route=\"/slow\",status_code=\"200\"} 0"))
        #expect(text.contains("http_request_duration_seconds_bucket{le=\"0.05\",method=\"GET\",route=\"/slow\",status_code=\"200\"} 2"))
        for name in ["process_cpu_seconds_total", "process_open_fds", "nodejs_eventloop_lag_p99_seconds", "nodejs_heap_size_used_bytes",
                     "nodejs_heap_space_size_used_bytes{space=\"old\"}", "nodejs_version_info{version=\"", "nodejs_active_handles_total"] {
            #expect(text.contains("\n\(name)"), "\(name) missing")
        }
        try Self.expectPromtoolAccepts(text)
        kill(diag.process.processIdentifier, SIGINT)
        let (status, standardError) = diag.finish(timeout: 20)
        #expect(status == 0, "\(standardError)")
        try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in
            let left = try channel.evaluate("""
                [process.getBuiltinModule('diagnostics_channel').hasSubscribers('http.server.request.start'),
                 process.getBuiltinModule('diagnostics_channel').hasSubscribers('http.server.response.finish'),
                 globalThis[Symbol.for('diag.metrics')] !== undefined]
                """) as? [Bool]
            #expect(left == [false, false, false])
        }
        #expect(service.otherListeningPorts.isEmpty)
    }

    @Test(.enabled(if: expressAvailable)) func oneShotPrintsTheDefaultMetrics() throws {
        let service = try NodeService("express-service.js", environment: ["NODE_PATH": "/usr/share/nodejs"])
        let result = try Command.diag(["metrics", String(service.pid), "--duration", "1s"], timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        let types = Self.types(result.standardOutput)
        let expectedTypes: [String: String] = [
            "process_cpu_user_seconds_total": "counter", "process_cpu_system_seconds_total": "counter", "process_cpu_seconds_total": "counter",
            "process_start_time_seconds": "gauge", "process_resident_memory_bytes": "gauge", "process_virtual_memory_bytes": "gauge",
            "process_heap_bytes": "gauge", "process_open_fds": "gauge", "process_max_fds": "gauge",
            "nodejs_eventloop_lag_seconds": "gauge", "nodejs_eventloop_lag_min_seconds": "gauge", "nodejs_eventloop_lag_max_seconds": "gauge",
            "nodejs_eventloop_lag_mean_seconds": "gauge", "nodejs_eventloop_lag_stddev_seconds": "gauge",
            "nodejs_eventloop_lag_p50_seconds": "gauge", "nodejs_eventloop_lag_p90_seconds": "gauge", "nodejs_eventloop_lag_p99_seconds": "gauge",
            "nodejs_active_resources": "gauge", "nodejs_active_resources_total": "gauge", "nodejs_active_handles": "gauge",
            "nodejs_active_handles_total": "gauge", "nodejs_active_requests": "gauge", "nodejs_active_requests_total": "gauge",
            "nodejs_heap_size_total_bytes": "gauge", "nodejs_heap_size_used_bytes": "gauge", "nodejs_external_memory_bytes": "gauge",
            "nodejs_heap_space_size_total_bytes": "gauge", "nodejs_heap_space_size_used_bytes": "gauge",
            "nodejs_heap_space_size_available_bytes": "gauge", "nodejs_version_info": "gauge", "nodejs_gc_duration_seconds": "histogram",
            "http_request_duration_seconds": "histogram",
        ]
        #expect(types == expectedTypes)
        try Self.expectPromtoolAccepts(result.standardOutput)
    }

    @Test func aNativeProcessGetsTheProcessMetricsOnly() throws {
        let target = try FixtureProcess.native("spin")
        let result = try Command.diag(["metrics", String(target.pid), "--duration", "500ms", "--json"], timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        let names = ((jsonObject(result.standardOutput)["metrics"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
        #expect(names == ["process_cpu_user_seconds_total", "process_cpu_system_seconds_total", "process_cpu_seconds_total",
                          "process_start_time_seconds", "process_resident_memory_bytes", "process_virtual_memory_bytes",
                          "process_heap_bytes", "process_open_fds", "process_max_fds"])
        #expect(target.tracerPIDs.allSatisfy { $0 == 0 })
    }

    @Test func anAddressInUseIsAClearError() throws {
        let target = try FixtureProcess.native("spin")
        let first = try BackgroundDiag(["metrics", String(target.pid), "--listen", "127.0.0.1:0"])
        #expect(first.waitForStandardError(containing: "/metrics for process", timeout: 30))
        let port = try #require(Self.listenPort(in: first.standardError))
        let second = try Command.diag(["metrics", String(target.pid), "--listen", "127.0.0.1:\(port)"], timeout: 30)
        #expect(second.status == 1)
        #expect(second.standardError.contains("127.0.0.1:\(port) is already in use"))
        target.stop()
        let (status, standardError) = first.finish(timeout: 10)
        #expect(status == 2 && standardError.contains("process \(target.pid) exited"), "\(standardError)")
    }

    @Test(.enabled(if: expressAvailable && Command.exists("prometheus"))) func aRealPrometheusScrapesTheSameTotals() throws {
        let service = try NodeService("express-service.js", environment: ["NODE_PATH": "/usr/share/nodejs"])
        let diag = try BackgroundDiag(["metrics", String(service.pid), "--listen", "127.0.0.1:0"])
        #expect(diag.waitForStandardError(containing: "/metrics for process", timeout: 30), "\(diag.standardError)")
        let port = try #require(Self.listenPort(in: diag.standardError))
        try Self.send(Self.requests, to: service.appPort)
        let directory = try FixturePaths.temporaryDirectory("metrics-prometheus")
        let prometheusPort = try Self.freePort()
        try """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: diag
                static_configs:
                  - targets: ['127.0.0.1:\(port)']
            """.write(toFile: "\(directory)/prometheus.yml", atomically: true, encoding: .utf8)
        let prometheus = try FixtureProcess(executable: "/usr/bin/env", arguments: [
            "sh", "-c", "echo ready; exec prometheus --config.file=\(directory)/prometheus.yml --storage.tsdb.path=\(directory)/data "
                + "--web.listen-address=127.0.0.1:\(prometheusPort) >\(directory)/log 2>&1",
        ])
        defer { prometheus.stop() }
        let query = "/api/v1/query?query=sum%20by%20(route%2Cmethod%2Cstatus_code)%20(http_request_duration_seconds_count)"
        var counts: [String: Int] = [:]
        _ = NodeService.wait(timeout: 60) {
            guard let text = try? LoopbackHTTP.get(port: prometheusPort, path: query, timeout: 2).text else { return false }
            counts = Self.queryCounts(text)
            return counts == Self.expected
        }
        #expect(counts == Self.expected)
        kill(diag.process.processIdentifier, SIGTERM)
        #expect(diag.finish(timeout: 20).status == 0)
    }

    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw FixtureError("no free port") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// `METHOD ROUTE STATUS` → value, from a Prometheus query API vector result.
    static func queryCounts(_ text: String) -> [String: Int] {
        let data = (jsonObject(text)["data"] as? [String: Any])?["result"] as? [[String: Any]] ?? []
        var counts: [String: Int] = [:]
        for entry in data {
            let labels = entry["metric"] as? [String: String] ?? [:]
            let value = (entry["value"] as? [Any])?.last as? String
            counts["\(labels["method"] ?? "") \(labels["route"] ?? "") \(labels["status_code"] ?? "")"] = value.flatMap { Int($0) }
        }
        return counts
    }

    // MARK: Helpers

    static func listenPort(in standardError: String) -> UInt16? {
        guard let range = standardError.range(of: "http://127.0.0.1:") else { return nil }
        return UInt16(standardError[range.upperBound...].prefix { $0.isNumber })
    }

    /// Sends the requests with node's http client, one at a time, and waits for every response.
    static func send(_ requests: [(method: String, path: String)], to port: UInt16) throws {
        let list = requests.map { "['\($0.method)','\($0.path)']" }.joined(separator: ",")
        let script = """
            const http = require('http');
            const list = [\(list)];
            (async () => {
              for (const [method, path] of list) {
                await new Promise((resolve, reject) => {
                  const request = http.request({ host: '127.0.0.1', port: \(port), method, path }, (response) => {
                    response.resume(); response.on('end', resolve);
                  });
                  request.on('error', reject);
                  request.end();
                });
              }
            })().then(() => console.log('sent'), (error) => { console.error(error); process.exit(1); });
            """
        let result = try Command.run("/usr/bin/env", ["node", "-e", script], timeout: 60)
        guard result.status == 0, result.standardOutput.contains("sent") else { throw FixtureError("requests failed: \(result.standardError)") }
    }

    /// `METHOD ROUTE STATUS` → the value of each http_request_duration_seconds_count line.
    static func histogramCounts(_ text: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("http_request_duration_seconds_count{") {
            func label(_ name: String) -> String {
                guard let start = line.range(of: "\(name)=\"") else { return "" }
                return String(line[start.upperBound...].prefix { $0 != "\"" })
            }
            counts["\(label("method")) \(label("route")) \(label("status_code"))"] = Int(line.split(separator: " ").last ?? "")
        }
        return counts
    }

    static func types(_ text: String) -> [String: String] {
        var types: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
        }
        return types
    }

    /// promtool check metrics finds no error; its only lint notes are prom-client's own gauge names
    /// ending in _total, which diag keeps so that dashboards work unchanged.
    static func expectPromtoolAccepts(_ text: String) throws {
        guard Command.exists("promtool") else { return }
        let directory = try FixturePaths.temporaryDirectory("metrics-promtool")
        try text.write(toFile: "\(directory)/m.txt", atomically: true, encoding: .utf8)
        let result = try Command.run("/bin/sh", ["-c", "promtool check metrics < \(directory)/m.txt"])
        let allowed = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]
            .map { "\($0) non-counter metrics should not have \"_total\" suffix" }
        let complaints = (result.standardOutput + result.standardError).split(separator: "\n").map(String.init)
            .filter { !allowed.contains($0) && !$0.isEmpty }
        #expect(complaints.isEmpty, "promtool: \(complaints)")
        #expect(result.status == 0 || result.status == 3)
    }
}
