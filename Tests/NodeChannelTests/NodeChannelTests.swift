import DiagSupport
import Foundation
import Glibc
import NodeChannel
import NodeInspector
import Testing
import TestSupport

/// The private channel on real Node.js processes: the TCP inspector is open only while the
/// agent is installed, the channel works after it closed, and everything is removed after.
@Suite(.serialized) struct NodeChannelTests {
    @Test func tcpInspectorClosesWithinHalfASecondAndTheChannelWorksAfter() throws {
        let (service, temporary) = try serviceWithOwnTemporaryDirectory("hot-functions.js")
        // The port's open time is diag's (goal: at most 0.5 s), but a machine busy with other
        // builds can stretch one opening: the best of three must meet the goal, none may pass 2 s.
        var openings: [Double] = []
        for _ in 0..<2 {
            try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in openings.append(channel.inspectorOpenSeconds ?? .infinity) }
        }
        try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in
            #expect(channel.openedByDiag)
            #expect(agentDirectories(in: temporary).count == 1)
            openings.append(try #require(channel.inspectorOpenSeconds))
            #expect(openings.min()! < 0.5 && openings.max()! < 2, "TCP inspector open for \(openings) s")
            #expect(service.otherListeningPorts.isEmpty)
            #expect(try channel.evaluate("6 * 7") as? Int == 42)
            #expect(try channel.evaluate("process.pid") as? Int == Int(service.pid))
            #expect(try channel.evaluate("new Promise((resolve) => setTimeout(() => resolve('later'), 50))", awaitPromise: true) as? String == "later")
        }
        #expect(service.otherListeningPorts.isEmpty)
        #expect(agentDirectories(in: temporary).isEmpty)
        #expect(service.answersHTTP)
    }

    @Test func installsRunSendEventsAndAreDisposedOnClose() throws {
        let service = try NodeService("hot-functions.js")
        var received: [Int] = []
        try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in
            channel.onEvent("tick") { value in if let number = value as? Int { received.append(number) } }
            let source = """
            (agent) => {
              globalThis.__diagTest = 'installed';
              let n = 0;
              const timer = setInterval(() => agent.send('tick', ++n), 20);
              agent.onDispose(() => { clearInterval(timer); delete globalThis.__diagTest; });
              return { perfHooks: typeof agent.require('perf_hooks').monitorEventLoopDelay };
            }
            """
            let value = try channel.install("ticker", source: source) as? [String: Any]
            #expect(value?["perfHooks"] as? String == "function")
            try channel.pump(seconds: 5) { received.count >= 3 }
            #expect(received.prefix(3) == [1, 2, 3])
            #expect(try channel.evaluate("globalThis.__diagTest") as? String == "installed")
        }
        try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in
            let leftover = try channel.evaluate("typeof globalThis.__diagTest") as? String
            #expect(leftover == "undefined")
            #expect(!channel.notes.contains { $0.contains("earlier diag run") })
        }
    }

    @Test func aThrowingInstallIsDisposedAndReported() throws {
        let service = try NodeService("hot-functions.js")
        try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in
            let source = "(agent) => { globalThis.__half = 1; agent.onDispose(() => { delete globalThis.__half; }); throw new Error('no such module'); }"
            #expect(throws: Error.self) { try channel.install("broken", source: source) }
            let leftover = try channel.evaluate("typeof globalThis.__half") as? String
            #expect(leftover == "undefined")
        }
    }

    @Test func aLargeEventArrivesWholeAndQuickly() throws {
        let service = try NodeService("hot-functions.js")
        var length = 0
        try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in
            channel.onEvent("big") { value in length = (value as? String)?.count ?? -1 }
            let start = Date()
            try channel.install("big", source: "(agent) => { setImmediate(() => agent.send('big', 'x'.repeat(8e6))); }")
            try channel.pump(seconds: 20) { length != 0 }
            #expect(Date().timeIntervalSince(start) < 5)
        }
        #expect(length == 8_000_000)
    }

    @Test func notNodeIsExitStatus4WithoutASignal() throws {
        let sleeper = try FixtureProcess(executable: "/bin/sh", arguments: ["-c", "echo ready; exec sleep 120"])
        do {
            try NodeChannel.withChannel(pid: sleeper.pid, purpose: "loop needs a V8 target") { _ in }
            Issue.record("a channel to sleep opened")
        } catch let error as DiagError {
            #expect(error.kind == .unsupportedTarget)
            #expect(error.message.contains("is not a Node.js process; loop needs a V8 target"))
        }
        usleep(100_000)
        #expect(sleeper.isRunning)
    }

    @Test func anInspectorThatWasOpenStaysOpen() throws {
        let (service, temporary) = try serviceWithOwnTemporaryDirectory("hot-functions.js", environment: ["NODE_OPTIONS": "--inspect=127.0.0.1:0"])
        let before = service.otherListeningPorts
        #expect(!before.isEmpty)
        try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in
            #expect(!channel.openedByDiag)
            #expect(channel.inspectorOpenSeconds == nil)
            #expect(channel.notes.contains { $0.contains("already open") })
            let sum = try channel.evaluate("1 + 1") as? Int
            #expect(sum == 2)
        }
        #expect(service.otherListeningPorts == before)
        #expect(agentDirectories(in: temporary).isEmpty)
    }

    @Test func targetExitWhilePumpingIsExitStatus2() throws {
        let service = try NodeService("hot-functions.js")
        do {
            try NodeChannel.withChannel(pid: service.pid, purpose: "test") { channel in
                service.process.stop()
                try channel.pump(seconds: 10)
            }
            Issue.record("pump returned after the target exited")
        } catch let error as DiagError {
            #expect(error.kind == .notFound)
            #expect(error.message == "process \(service.pid) exited while diag was connected to it")
        }
    }
}
