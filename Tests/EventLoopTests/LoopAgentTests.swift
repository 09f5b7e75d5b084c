import EventLoop
import Foundation
import TestSupport
import Testing

/// The agent's JavaScript run in plain node with a stand-in for the channel's `agent`
/// (onDispose, send, require): the real channel runs it in the target's main context.
@Suite struct LoopAgentTests {
    static let harness = """
    const { performance } = require('perf_hooks');
    const disposers = [];
    const agent = { onDispose: (fn) => disposers.push(fn), send: () => {}, require };
    const installed = eval(require('fs').readFileSync(process.argv[2], 'utf8'))(agent);
    const key = Symbol.for('diag.loop.read');
    setTimeout(() => {
      const start = performance.now();
      while (performance.now() - start < 150);
      const blocked = performance.now() - start;
      setTimeout(() => {
        const figures = globalThis[key]();
        disposers.forEach((fn) => fn());
        console.log(JSON.stringify({ installed, figures, blocked, disposers: disposers.length,
                                     afterDispose: Object.getOwnPropertySymbols(globalThis).includes(key) }));
      }, 300);
    }, 300);
    """

    @Test func measuresTheLagOfABlockAndIsGoneAfterDispose() throws {
        let directory = try FixturePaths.temporaryDirectory("loop-agent")
        try LoopAgent.source.write(toFile: "\(directory)/agent.js", atomically: true, encoding: .utf8)
        try Self.harness.write(toFile: "\(directory)/harness.js", atomically: true, encoding: .utf8)
        let result = try Command.run("/usr/bin/env", ["node", "\(directory)/harness.js", "\(directory)/agent.js"], timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        let output = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] ?? [:]
        #expect(output["installed"] as? Bool == true)
        #expect(output["disposers"] as? Int == 1)
        #expect(output["afterDispose"] as? Bool == false)
        let blocked = output["blocked"] as? Double ?? 0
        let lag = try #require(LoopAgent.decode(output["figures"]))
        // The one block delays one timer run by about its length (less what the timer interval hides).
        #expect(abs(lag.lagMilliseconds.max - blocked) <= 20, "\(lag) vs a block of \(blocked) ms")
        #expect(lag.lagMilliseconds.p50 < 10)
        #expect(lag.samples > 10)
    }
}
