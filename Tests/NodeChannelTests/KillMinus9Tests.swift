import Foundation
import Glibc
import NodeChannel
import Testing
import TestSupport

/// diag killed with SIGKILL at each phase of opening a channel, and while it uses one: the
/// target is left as diag found it (no inspector port, no agent directory, no globals), by
/// the agent itself once its socket closes, or by diag's inspector guard before that.
@Suite(.serialized) struct KillMinus9Tests {
    @Test(arguments: ["inspector-open", "agent-installed", "agent-connected", "capturing"])
    func killedDiagLeavesNothingInTheTarget(phase: String) throws {
        let temporary = try FixturePaths.temporaryDirectory()
        let service = try NodeService("hot-functions.js", environment: ["TMPDIR": temporary])
        let directory = try FixturePaths.temporaryDirectory()
        let diag = try BackgroundDiag(["cpu", String(service.pid), "--duration", "60s", "-o", "\(directory)/killed.cpuprofile"],
                                      environment: phase == "capturing" ? [:] : ["DIAG_TEST_PAUSE_AT": phase])
        if phase == "capturing" {
            #expect(NodeService.wait(timeout: 20) { !agentDirectories(in: temporary).isEmpty && service.otherListeningPorts.isEmpty })
            usleep(300_000)
        } else {
            #expect(diag.waitForStandardError(containing: "test pause at \(phase)", timeout: 20), "\(diag.standardError)")
        }
        let before = (ports: service.otherListeningPorts, agents: agentDirectories(in: temporary))
        kill(diag.process.processIdentifier, SIGKILL)
        _ = diag.finish(timeout: 10)
        switch phase {
        case "inspector-open": #expect(!before.ports.isEmpty && before.agents.isEmpty)
        case "agent-installed", "agent-connected": #expect(!before.ports.isEmpty && !before.agents.isEmpty)
        default: #expect(before.ports.isEmpty && !before.agents.isEmpty)
        }
        #expect(NodeService.wait(timeout: 8) { service.otherListeningPorts.isEmpty && agentDirectories(in: temporary).isEmpty },
                "ports \(service.otherListeningPorts), agents \(agentDirectories(in: temporary))")
        try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in
            #expect(!channel.notes.contains { $0.contains("earlier diag run") }, "\(channel.notes)")
            let symbols = try channel.evaluate("Object.getOwnPropertySymbols(globalThis).map(String).filter((s) => s.includes('diag.') && s !== 'Symbol(diag.channel)')") as? [Any]
            #expect(symbols?.isEmpty == true, "\(symbols ?? [])")
        }
        #expect(service.answersHTTP)
    }
}
