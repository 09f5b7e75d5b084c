import DiagSupport
import Foundation
import Testing
import NodeInspector
import TestSupport

@Suite struct NodeTargetTests {
    @Test func nodeIsRecognisedAndNamedAfterItsScript() throws {
        let service = try NodeService("http-service.js")
        let target = try NodeTarget(pid: service.pid, purpose: "test")
        #expect(target.scriptName == "http-service")
        #expect(target.version?.isEmpty == false)
    }

    @Test func aProcessCalledNodeIsNotTrusted() throws {
        // sleep copied to a file called node: its name says node, its binary does not.
        let directory = try FixturePaths.temporaryDirectory()
        try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: "\(directory)/node")
        let fake = try FixtureProcess(executable: "/bin/sh", arguments: ["-c", "echo ready; exec \(directory)/node 120"])
        #expect(NodeService.wait(timeout: 10) { (try? String(contentsOfFile: "/proc/\(fake.pid)/comm", encoding: .utf8)) == "node\n" })
        #expect(throws: DiagError.self) { try NodeTarget(pid: fake.pid, purpose: "test") }
        let result = try Command.diag(["heap", String(fake.pid), "-o", "/dev/null"])
        #expect(result.status == 4 && result.standardError.contains("is not a Node.js process"))
        #expect(fake.isRunning)
    }
}
