import Foundation
import Glibc
import NodeChannel
import NodeInspector
import Testing
import TestSupport

/// `diag probe` on a real Node HTTP service: wrapped exports and a logpoint report each call
/// with its request under concurrent requests, across awaits and timers; the app's exceptions
/// pass through unchanged; everything is removed at --duration, SIGTERM and SIGKILL of diag.
@Suite(.serialized) struct ProbeTests {
    static let probes = ["--fn", "probe-pricing.js:quote", "--fn", "probe-pricing.js:settle", "--fn", "probe-pricing.js:Basket"]

    /// Runs `diag probe` in the background with its standard output and error in files; calls
    /// `whileProbing` once diag printed its "probing" line; returns (status, stdout, stderr).
    static func probe(_ service: NodeService, _ arguments: [String], whileProbing: () throws -> Void) throws -> (Int32, String, String) {
        let directory = try FixturePaths.temporaryDirectory()
        let out = "\(directory)/out", err = "\(directory)/err"
        let command = ([FixturePaths.diagExecutable, "probe", String(service.pid)] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let pid = try Spawn.start("/bin/sh", ["-c", "exec \(command) >\(out) 2>\(err)"])
        defer { kill(pid, SIGKILL); var status: Int32 = 0; waitpid(pid, &status, 0) }
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        #expect(NodeService.wait(timeout: 30) { read(err).contains("probing ") }, "\(read(err))")
        try whileProbing()
        var status: Int32 = 0
        #expect(NodeService.wait(timeout: 30) { waitpid(pid, &status, WNOHANG) == pid })
        return (status >> 8 & 0xff, read(out), read(err))
    }

    /// What the target has left of diag's probe: wrappers in place, the recorder global, a subscriber.
    static func leftovers(_ service: NodeService) throws -> [String] {
        try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in
            try channel.evaluate("""
            (() => {
              const m = process.mainModule.require('./probe-pricing');
              const left = Object.keys(globalThis.originalExports).filter((k) => m[k] !== globalThis.originalExports[k]);
              if (globalThis[Symbol.for('diag.probe')]) left.push('recorder');
              if (process.mainModule.require('diagnostics_channel').channel('http.server.request.start').hasSubscribers) left.push('subscriber');
              return left;
            })()
            """) as? [String] ?? ["?"]
        }
    }

    @Test func concurrentRequestsAreCorrelatedAcrossAwaitsAndTimers() throws {
        let service = try NodeService("probe-service.js")
        let fixture = "\(FixturePaths.fixtures)/node/probe-pricing.js"
        let line = try lineIndex(of: "// logpoint line", in: fixture) + 1
        var fanout = ""
        let (status, out, err) = try Self.probe(service, Self.probes + ["--log", "probe-pricing.js:\(line):id", "--duration", "6s", "--json"]) {
            fanout = try LoopbackHTTP.get(port: service.appPort, path: "/fanout?n=12", timeout: 20).text
            _ = try LoopbackHTTP.get(port: service.appPort, path: "/basket", timeout: 5)
        }
        #expect(status == 0, "\(err)")
        #expect(err.contains("probing 3 functions and 1 logpoints in \(service.pid)"))
        #expect(fanout.contains("TypeError: no price for bad"), "the app sees its own exception: \(fanout)")
        #expect(fanout.contains("{\"id\":\"r7\",\"total\":6} settled r7"))
        let lines = out.split(separator: "\n").map { jsonObject(String($0)) }
        let events = lines.filter { $0["summary"] == nil }
        let summary = try #require(lines.last)
        #expect(summary["summary"] as? Bool == true && summary["dropped"] as? Int == 0, "\(summary)")
        // Each quote, settle and logpoint event runs under the request whose id it was given.
        var seen: [String: Set<String>] = [:]
        for event in events {
            let probe = event["probe"] as? String ?? ""
            guard let request = event["request"] as? [String: Any], let url = request["url"] as? String else {
                Issue.record("no request on \(event)"); continue
            }
            #expect(request["method"] as? String == "GET" && request["id"] is Int)
            if probe.hasSuffix("Basket") { #expect(url == "/basket"); continue }
            let id = event["kind"] as? String == "log" ? event["value"] as? String : (event["args"] as? [Any])?.first as? String
            #expect(url == "/quote?id=\(id ?? "?")", "\(event)")
            seen[probe, default: []].insert(id ?? "?")
        }
        let ids = Set((1...12).map { "r\($0)" } + ["bad"])
        #expect(seen["probe-pricing.js:quote"] == ids && seen["probe-pricing.js:settle"] == ids)
        #expect(seen["probe-pricing.js:\(line)"] == ids)
        // quote threw for "bad" with the app's TypeError; settle lasted until its 20 ms timer fired.
        let bad = events.first { ($0["args"] as? [Any])?.first as? String == "bad" && ($0["probe"] as? String)?.hasSuffix("quote") == true }
        #expect(bad?["threw"] as? Bool == true && (bad?["result"] as? [String: Any])?["preview"] as? String == "TypeError: no price for bad")
        for event in events where (event["probe"] as? String)?.hasSuffix("settle") == true {
            let milliseconds = event["durationMilliseconds"] as? Double ?? 0
            #expect(milliseconds >= 19 && milliseconds < 2000, "settle took \(milliseconds) ms")
            #expect((event["result"] as? String)?.hasPrefix("settled ") == true)
        }
        let basket = events.first { ($0["probe"] as? String)?.hasSuffix("Basket") == true }
        #expect((basket?["result"] as? [String: Any])?["preview"] as? String == "Basket {owner: \"ann\"}", "new keeps the prototype: \(basket ?? [:])")
        #expect(try Self.leftovers(service) == [])
        #expect(service.answersHTTP)
    }

    @Test func expressRoutesAreCorrelated() throws {
        let service = try NodeService("probe-express.js", environment: ["NODE_PATH": "/usr/share/nodejs"])
        let (status, out, err) = try Self.probe(service, ["--fn", "probe-pricing.js:quote", "--duration", "4s", "--json"]) {
            let done = try LoopbackHTTP.get(port: service.appPort, path: "/fanout?n=10", timeout: 20).text
            #expect(done == "done\n")
        }
        #expect(status == 0, "\(err)")
        let events = out.split(separator: "\n").map { jsonObject(String($0)) }.filter { $0["kind"] as? String == "call" }
        #expect(events.count == 10)
        for event in events {
            let id = (event["args"] as? [Any])?.first as? String ?? "?"
            #expect((event["request"] as? [String: Any])?["url"] as? String == "/quote/\(id)", "\(event)")
        }
        #expect(try Self.leftovers(service) == [])
    }

    @Test func textTableAndTraceFile() throws {
        let service = try NodeService("probe-service.js")
        let trace = try FixturePaths.temporaryDirectory() + "/probe.json"
        let (status, out, err) = try Self.probe(service, Self.probes + ["--duration", "4s", "-o", trace]) {
            _ = try LoopbackHTTP.get(port: service.appPort, path: "/fanout?n=4", timeout: 20)
        }
        #expect(status == 0, "\(err)")
        #expect(out.contains("probe-pricing.js:quote  (function)") && out.contains("CALLS  ERRORS"), "\(out)")
        #expect(out.contains("(\"bad\", 2)"), "\(out)")
        #expect(fileMode(trace) == 0o600)
        let events = jsonObject(try String(contentsOfFile: trace, encoding: .utf8))["traceEvents"] as? [[String: Any]] ?? []
        #expect(events.filter { $0["ph"] as? String == "X" }.count == 2 * 5, "quote and settle for r1...r4 and bad")
        let tracks = events.filter { $0["ph"] as? String == "M" }.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        #expect(tracks.contains { $0.hasPrefix("request ") && $0.hasSuffix(": GET /quote?id=r1") }, "\(tracks)")
        if DevToolsCheck.isAvailable {
            let check = try DevToolsCheck.run("trace", trace)
            #expect(check.accepted, "\(check.summary)")
        }
    }

    /// Summary line of a `--json` run that drove /spin?n=`calls`.
    static func spin(_ service: NodeService, calls: Int, _ arguments: [String]) throws -> ([String: Any], String) {
        let (status, out, err) = try probe(service, arguments + ["--duration", "4s", "--json"]) {
            let spun = try LoopbackHTTP.get(port: service.appPort, path: "/spin?n=\(calls)", timeout: 60).text
            #expect(spun == "spun\n")
        }
        #expect(status == 0, "\(err)")
        #expect(try leftovers(service) == [])
        return (jsonObject(String(out.split(separator: "\n").last ?? "")), err)
    }

    /// 30000 calls in one tick: the target's queue keeps 10000 events and counts the rest as dropped.
    @Test func fullQueueDropsAndCounts() throws {
        let service = try NodeService("probe-service.js")
        let (summary, _) = try Self.spin(service, calls: 30_000, ["--fn", "probe-pricing.js:quote"])
        #expect(summary["events"] as? Int == 10_000 && summary["dropped"] as? Int == 20_000, "\(summary)")
    }

    /// 2000 hits in one tick with --log-rate 100: 100 (200 if the tick spans a second) are
    /// recorded, the rest skipped and counted, and diag says so.
    @Test func logpointsAreRateLimited() throws {
        let service = try NodeService("probe-service.js")
        let line = try lineIndex(of: "// logpoint line", in: "\(FixturePaths.fixtures)/node/probe-pricing.js") + 1
        let (summary, err) = try Self.spin(service, calls: 2000, ["--log", "probe-pricing.js:\(line):id", "--log-rate", "100"])
        let rateLimited = (summary["probes"] as? [[String: Any]])?.first?["rateLimited"] as? Int ?? -1
        let events = summary["events"] as? Int ?? -1
        #expect(events + rateLimited == 2000 && events >= 100 && events <= 200 && summary["dropped"] as? Int == 0, "\(summary)")
        #expect(err.contains("fired more than 100 times a second and was rate-limited: \(rateLimited) hits skipped"), "\(err)")
    }

    @Test func missingModuleOrExportInstallsNothing() throws {
        let service = try NodeService("probe-service.js")
        for (spec, named) in [("nowhere.js:quote", "module nowhere.js is not loaded"), ("probe-pricing.js:price", "has no export price")] {
            let result = try Command.run(FixturePaths.diagExecutable, ["probe", String(service.pid), "--fn", "probe-pricing.js:quote", "--fn", spec], timeout: 60)
            #expect(result.status == 1 && result.standardError.contains(named) && result.standardError.contains("nothing was installed"), "\(result.standardError)")
        }
        #expect(try Self.leftovers(service) == [])
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGKILL])
    func everythingIsRemovedWhenDiagIsStopped(signal: Int32) throws {
        let service = try NodeService("probe-service.js")
        let diag = try BackgroundDiag(["probe", String(service.pid)] + Self.probes + ["--duration", "60s"])
        #expect(diag.waitForStandardError(containing: "probing 3 functions", timeout: 30), "\(diag.standardError)")
        kill(diag.process.processIdentifier, signal)
        let (status, _) = diag.finish(timeout: 20)
        if signal != SIGKILL { #expect(status == 0) }
        #expect(NodeService.wait(timeout: 8) { (try? Self.leftovers(service)) == [] })
        #expect(service.answersHTTP)
    }

    @Test func nonNodeProcessIsRefused() throws {
        let sleeper = try Spawn.start("/bin/sleep", ["30"])
        defer { kill(sleeper, SIGKILL); var status: Int32 = 0; waitpid(sleeper, &status, 0) }
        let result = try Command.run(FixturePaths.diagExecutable, ["probe", String(sleeper), "--fn", "a.js:b"], timeout: 30)
        #expect(result.status == 4, "\(result.standardError)")
    }
}
