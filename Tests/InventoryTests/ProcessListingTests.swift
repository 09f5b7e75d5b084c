import Foundation
import Inventory
import TestSupport
import Testing

/// `diag ps` on real processes: a C fixture is native, a Node script is Node.js whatever
/// its name, and an opened inspector is found on its port.
@Suite(.serialized) struct ProcessListingTests {
    @Test func nativeFixtureIsListedAsNative() throws {
        let fixture = try FixtureProcess.native("spin")
        let entry = try #require(ProcessListing.list().first { $0.pid == fixture.pid })
        #expect(entry.runtime == "native")
        #expect(entry.threads == 2)
        #expect(entry.residentBytes > 0)
        #expect(entry.inspector == nil)
        #expect(entry.command.contains("spin-"))
    }

    @Test func nodeIsRecognisedByItsBinaryEvenWhenRenamed() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let node = try Command.run("/usr/bin/env", ["sh", "-c", "readlink -f $(command -v node)"]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let renamed = "\(directory)/payments-api"
        try FileManager.default.createSymbolicLink(atPath: renamed, withDestinationPath: node)
        let fixture = try FixtureProcess(executable: renamed, arguments: ["\(FixturePaths.fixtures)/node/http-service.js"])
        let expectedVersion = try Command.run(node, ["--version"]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines).dropFirst()  // "v20.20.2" -> "20.20.2"
        let entry = try #require(ProcessListing.list().first { $0.pid == fixture.pid })
        #expect(entry.runtime == "node")
        #expect(entry.nodeVersion == String(expectedVersion))
        #expect(entry.inspector == nil)
    }

    @Test func aProcessMerelyNamedNodeIsNative() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let impostor = "\(directory)/node"
        try FileManager.default.copyItem(atPath: try FixtureCompiler.compile("spin"), toPath: impostor)
        let fixture = try FixtureProcess(executable: impostor)
        let entry = try #require(ProcessListing.list().first { $0.pid == fixture.pid })
        #expect(entry.runtime == "native")
    }

    @Test func anOpenInspectorIsFoundOnItsPort() throws {
        let fixture = try FixtureProcess.node("http-service.js", environment: ["NODE_OPTIONS": "--inspect-port=0"])
        kill(fixture.pid, SIGUSR1)
        var entry: ProcessEntry?
        for _ in 0..<50 {
            entry = ProcessListing.list().first { $0.pid == fixture.pid }
            if entry?.inspector != nil { break }
            usleep(100_000)
        }
        let inspector = try #require(entry?.inspector)
        #expect(inspector.address == "127.0.0.1")
        #expect(inspector.port != 9229 && inspector.port > 0)
        #expect(inspector.browser.hasPrefix("node.js/v"))
        // The JSON form carries the same facts.
        let json = try Command.diag(["ps", "--json"])
        #expect(json.status == 0)
        let list = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]]
        let row = try #require(list?.first { ($0["pid"] as? Int) == Int(fixture.pid) })
        #expect((row["inspector"] as? [String: Any])?["port"] as? Int == Int(inspector.port))
        #expect(row["runtime"] as? String == "node")
    }
}
