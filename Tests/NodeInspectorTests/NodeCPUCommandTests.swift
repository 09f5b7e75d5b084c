import Foundation
import Testing
import NodeInspector
import TestSupport

/// `diag cpu` on real Node processes started without any inspector flag.
@Suite struct NodeCPUCommandTests {
    @Test func hotFunctionsWithFileAndLineAndDevToolsOpensIt() throws {
        let service = try NodeService("hot-functions.js")
        let directory = try FixturePaths.temporaryDirectory()
        let output = "\(directory)/hot.cpuprofile"
        let result = try Command.diag(["cpu", String(service.pid), "--duration", "2s", "--rate", "1000", "-o", output, "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let report = jsonObject(result.standardOutput)
        let top = try #require((report["topFunctions"] as? [[String: Any]])?.first)
        let script = "\(FixturePaths.fixtures)/node/hot-functions.js"
        #expect(top["functionName"] as? String == "spinPrimary")
        #expect(top["url"] as? String == "file://\(script)")
        #expect(top["line"] as? Int == (try lineIndex(of: "function spinPrimary", in: script)) + 1)
        #expect((top["selfShare"] as? Double ?? 0) > 0.4)

        // V8's text, written through: `nodes` first, and the file is private.
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.hasPrefix(#"{"nodes":[{"id":1,"callFrame":{"functionName":"(root)""#))
        #expect(fileMode(output) == 0o600)

        // Left as found: no inspector port, still serving.
        #expect(service.otherListeningPorts.isEmpty)
        #expect(service.answersHTTP)

        if DevToolsCheck.isAvailable {
            let check = try DevToolsCheck.run("cpuprofile", output)
            #expect(check.accepted, "\(check.summary)")
            let model = check.summary["profileModel"] as? [String: Any]
            let first = (model?["topBySelfTime"] as? [[String: Any]])?.first
            #expect(first?["functionName"] as? String == "spinPrimary")
        }
    }

    @Test func workerThreadIsListedAndProfiled() throws {
        let service = try NodeService("worker-spin.js")
        let directory = try FixturePaths.temporaryDirectory()
        let result = try Command.diag(["cpu", String(service.pid), "--worker", "1", "--duration", "1500ms", "--rate", "1000",
                                       "-o", "\(directory)/worker.cpuprofile", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        let report = jsonObject(result.standardOutput)
        #expect((report["workers"] as? [[String: Any]])?.map { $0["workerId"] as? String } == ["1"])
        let top = (report["topFunctions"] as? [[String: Any]])?.first
        #expect(top?["functionName"] as? String == "workerSpin")
        #expect(service.otherListeningPorts.isEmpty)

        let missing = try Command.diag(["cpu", String(service.pid), "--worker", "7", "--duration", "1s", "-o", "\(directory)/none.cpuprofile"])
        #expect(missing.status == 2 && missing.standardError.contains("no worker thread 7"))
        #expect(service.otherListeningPorts.isEmpty)
    }

    @Test func inspectorThatWasAlreadyOpenStaysOpen() throws {
        let service = try NodeService("hot-functions.js")
        kill(service.pid, SIGUSR1)  // a verified Node fixture: this opens its inspector
        #expect(NodeService.wait(timeout: 10) { !service.otherListeningPorts.isEmpty })
        let before = service.otherListeningPorts
        let directory = try FixturePaths.temporaryDirectory()
        let result = try Command.diag(["cpu", String(service.pid), "--duration", "1s", "-o", "\(directory)/open.cpuprofile"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("already open"))
        #expect(service.otherListeningPorts == before)
    }
}
