import Foundation
import NodeChannel
import Testing
import TestSupport

/// `diag top` on a real Node.js process: JavaScript functions from V8's sampler through the
/// private channel, in plain text (standard output is not a terminal).
@Suite(.serialized) struct TopNodeTests {
    /// hot-functions.js: every work slice runs spinPrimary's loop 3e5 times and spinSecondary's
    /// (the same cost a round) 1e5 times, so of the busy samples spinPrimary has 75% and
    /// spinSecondary 25%, within ±10 points over the 5 s of the last frame.
    @Test func theHotFunctionTopsTheListAndNothingOfDiagIsLeftInTheTarget() throws {
        let (service, temporary) = try serviceWithOwnTemporaryDirectory("hot-functions.js")
        let script = "\(FixturePaths.fixtures)/node/hot-functions.js"
        let primaryLine = try lineIndex(of: "function spinPrimary", in: script) + 1
        let secondaryLine = try lineIndex(of: "function spinSecondary", in: script) + 1
        let result = try Command.diag(["top", String(service.pid), "--iterations", "5"], timeout: 120)
        #expect(result.status == 0, "\(result.standardError)")
        let output = result.standardOutput
        #expect(!output.contains("\u{1B}"), "plain frames have no escape codes")
        #expect(output.components(separatedBy: "diag top  process \(service.pid) (node)  99 Hz  JavaScript\n").count - 1 == 5, "\(output)")

        let header = try #require(TopHeader(output), "\(output)")
        #expect(header.cost == "V8's sampler runs in the target's own thread: no stops")
        // Five 1 s profiles at 99 Hz: about 495 samples, at least 150 on a busy machine.
        #expect(header.samples >= 150 && header.samples <= 600, "\(header)")
        #expect((header.cpuPercent ?? 0) > 10, "\(header)")
        let rows = topRows(in: output)
        try #require(rows.count >= 2, "\(output)")
        #expect(rows[0].label == "spinPrimary (hot-functions.js:\(primaryLine))", "\(output)")
        #expect(abs(rows[0].firstShare - 0.75) <= 0.10, "spinPrimary self share \(rows[0].firstShare)")
        #expect(rows[1].label == "spinSecondary (hot-functions.js:\(secondaryLine))", "\(output)")
        #expect(abs(rows[1].firstShare - 0.25) <= 0.10, "spinSecondary self share \(rows[1].firstShare)")

        // Nothing of diag's is left: no agent directory, the inspector closed, the service serves.
        #expect(agentDirectories(in: temporary).isEmpty)
        #expect(service.otherListeningPorts.isEmpty, "listening: \(service.otherListeningPorts)")
        #expect(service.answersHTTP)
        try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in
            #expect(!channel.notes.contains { $0.contains("earlier diag run") }, "\(channel.notes)")
        }
        #expect(service.otherListeningPorts.isEmpty)
    }
}
