import Foundation
import Testing
import TestSupport

/// `diag cpu --push URL` against Tests/Fixtures/push/ingest_server.py, a stand-in for
/// Pyroscope's /ingest that records every request it gets.
@Suite(.serialized) struct PushTests {
    /// A running test server, its port and the directory its requests are recorded in.
    struct IngestServer {
        let process: FixtureProcess
        let port: UInt16
        let directory: String

        init(_ behaviour: [String] = []) throws {
            directory = try FixturePaths.temporaryDirectory("diag-push")
            process = try FixtureProcess(executable: "/usr/bin/env",
                                         arguments: ["python3", "\(FixturePaths.fixtures)/push/ingest_server.py", directory] + behaviour)
            guard let port = process.startupOutput.last?.split(separator: " ").last.flatMap({ UInt16($0) }) else {
                throw FixtureError("no port in \(process.startupOutput)")
            }
            self.port = port
        }

        var url: String { "http://127.0.0.1:\(port)" }

        /// The recorded requests, in order: method, path, query and content type.
        func requests() -> [[String: Any]] {
            (1...).lazy.map { "\(directory)/request-\($0).json" }.prefix { FileManager.default.fileExists(atPath: $0) }
                .map { jsonObject((try? String(contentsOfFile: $0, encoding: .utf8)) ?? "") }
        }

        func bodyPath(_ number: Int) -> String { "\(directory)/request-\(number).body" }
    }

    /// Runs diag in a fresh directory (so that a stray local file would show).
    static func diagCPU(_ pid: Int32, _ arguments: [String]) throws -> (result: Command.Result, directory: String) {
        let directory = try FixturePaths.temporaryDirectory("diag-push-cwd")
        let result = try Command.run("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", directory, FixturePaths.diagExecutable,
                                                 "cpu", String(pid)] + arguments, timeout: 120)
        return (result, directory)
    }

    /// One POST to /ingest with every query parameter; the body is a gzipped pprof with the
    /// two sample types, in which hot_a leads; without -o no local file is written.
    @Test(.enabled(if: GoPprof.isAvailable)) func nativeProfileArrivesAsPprof() throws {
        let server = try IngestServer()
        let fixture = try FixtureProcess.native("hot_threads")
        let before = Int(Date().timeIntervalSince1970)
        let (run, directory) = try Self.diagCPU(fixture.pid, ["--duration", "2s", "--rate", "199", "--push", server.url,
                                                              "--push-name", "hot.app{env=test,region=here}", "--json"])
        let after = Int(Date().timeIntervalSince1970)
        #expect(run.status == 0, "\(run.standardError)")
        let push = jsonObject(run.standardOutput)["push"] as? [String: Any]
        #expect(push?["status"] as? Int == 200 && push?["attempts"] as? Int == 1, "\(run.standardOutput)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)

        let requests = server.requests()
        try #require(requests.count == 1, "\(requests)")
        let request = requests[0]
        #expect(request["method"] as? String == "POST" && request["path"] as? String == "/ingest")
        #expect(request["contentType"] as? String == "application/octet-stream")
        let query = try #require(request["query"] as? [String: String])
        #expect(query["name"] == "hot.app{env=test,region=here}")
        #expect(query["format"] == "pprof" && query["sampleRate"] == "199" && query["spyName"] == "diag")
        let from = try #require(query["from"].flatMap { Int($0) }), until = try #require(query["until"].flatMap { Int($0) })
        // The capture lies inside the test's own wall-clock window (±1 s of rounding).
        #expect(from >= before - 1 && until <= after + 1 && until - from >= 1 && until - from <= 4, "\(from) \(until) \(before) \(after)")

        let body = try Data(contentsOf: URL(fileURLWithPath: server.bodyPath(1)))
        #expect(body.prefix(2) == Data([0x1f, 0x8b]))
        #expect(try GoPprof.raw(server.bodyPath(1)).contains("samples/count cpu/nanoseconds"))
        let rows = try GoPprof.top(server.bodyPath(1))
        let hotA = try #require(rows.first { $0.name == "hot_a" }, "\(rows.prefix(5))")
        #expect(hotA.flatShare > 0.2, "\(rows.prefix(5))")
    }

    /// A 503 is retried (after 0.5 s) and the second attempt succeeds; -o still writes the file.
    @Test func serverErrorIsRetried() throws {
        let server = try IngestServer(["--fail", "1", "503"])
        let fixture = try FixtureProcess.native("hot_threads")
        let (run, directory) = try Self.diagCPU(fixture.pid, ["--duration", "1s", "--push", server.url, "-o", "local.pb.gz",
                                                              "--format", "pprof", "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.contains("HTTP 503") && run.standardError.contains("retrying (1 of 3)"), "\(run.standardError)")
        #expect((jsonObject(run.standardOutput)["push"] as? [String: Any])?["attempts"] as? Int == 2)
        #expect(server.requests().count == 2)
        #expect(fileMode("\(directory)/local.pb.gz") == 0o600)
    }

    /// A 4xx is not retried: exit status 7, the server's answer in the message, the -o file written.
    @Test func clientErrorFailsAtOnce() throws {
        let server = try IngestServer(["--always", "400"])
        let fixture = try FixtureProcess.native("hot_threads")
        let (run, directory) = try Self.diagCPU(fixture.pid, ["--duration", "1s", "--push", server.url, "-o", "local.cpuprofile"])
        #expect(run.status == 7)
        #expect(run.standardError.contains("refused the profile: HTTP 400: status 400 from the test server"), "\(run.standardError)")
        #expect(server.requests().count == 1)
        #expect(FileManager.default.fileExists(atPath: "\(directory)/local.cpuprofile"))
    }

    /// Nothing listening: four attempts (three retries), then exit status 7.
    @Test func unreachableCollectorFailsAfterRetries() throws {
        let server = try IngestServer()
        let port = server.port
        server.process.stop()
        let fixture = try FixtureProcess.native("hot_threads")
        let (run, _) = try Self.diagCPU(fixture.pid, ["--duration", "500ms", "--push", "http://127.0.0.1:\(port)/"])
        #expect(run.status == 7)
        #expect(run.standardError.contains("after 4 attempts") && run.standardError.contains("cannot connect"), "\(run.standardError)")
    }

    /// https and malformed URLs are usage errors, before the target is touched.
    @Test func httpsIsRefusedClearly() throws {
        let https = try Command.diag(["cpu", "1", "--push", "https://pyroscope.example:4040"])
        #expect(https.status == 64 && https.standardError.contains("https is not supported; use a local agent/proxy"), "\(https.standardError)")
        let bad = try Command.diag(["cpu", "1", "--push", "pyroscope:4040"])
        #expect(bad.status == 64 && bad.standardError.contains("not an http:// URL"))
        let lonelyName = try Command.diag(["cpu", "1", "--push-name", "app"])
        #expect(lonelyName.status == 64 && lonelyName.standardError.contains("--push-name needs --push"))
    }

    /// A Node.js target: the JavaScript profile arrives as pprof, named after the process
    /// (`node`), spinPrimary leading.
    @Test(.enabled(if: GoPprof.isAvailable)) func nodeProfileArrivesAsPprof() throws {
        let server = try IngestServer()
        let service = try NodeService("hot-functions.js")
        let (run, _) = try Self.diagCPU(service.pid, ["--duration", "2s", "--rate", "500", "--push", server.url])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("Pushed") && run.standardOutput.contains("as node (HTTP 200)"), "\(run.standardOutput)")
        let requests = server.requests()
        try #require(requests.count == 1)
        let query = requests[0]["query"] as? [String: String]
        #expect(query?["name"] == "node" && query?["sampleRate"] == "500")
        let rows = try GoPprof.top(server.bodyPath(1))
        #expect(rows.first?.name == "spinPrimary", "\(rows.prefix(5))")
        #expect(service.otherListeningPorts.isEmpty)
    }
}
