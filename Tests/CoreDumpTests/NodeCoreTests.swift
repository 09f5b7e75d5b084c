import CoreDump
import Foundation
import Testing
import TestSupport

/// A Node.js process that aborts on an uncaught exception: the verdict names it, and the
/// JavaScript frames come back from the V8 postmortem data in the core.
@Suite struct NodeCoreTests {
    @Test func uncaughtExceptionWithJavaScriptFrames() throws {
        guard Command.exists("node") else { return }
        let core = try CrashCores.node("uncaught-exception.js")
        let summary = try CoreAnalyzer.analyze(path: core.path)
        #expect(summary.verdict.kind == .nodeUncaughtException)
        #expect(summary.signal != nil)

        let crashing = try #require(summary.threads.first)
        #expect(crashing.isCrashing)
        #expect(crashing.tid == summary.process.pid)
        #expect(crashing.frames.contains { $0.function?.contains("Isolate::CreateMessageOrAbort") == true })
        let javaScript = crashing.javaScriptFrames
        #expect(javaScript.map(\.function) == ["validateShipment", "processOrder", "handleOrderTimer", "listOnTimeout", "processTimers"])
        #expect(javaScript.allSatisfy { $0.isJavaScript })
        #expect(javaScript.prefix(3).allSatisfy { $0.file == "\(FixturePaths.fixtures)/node/uncaught-exception.js" })
        #expect(javaScript.last?.file == "node:internal/timers")
        #expect(summary.node?.javaScriptFrames == "names")
        #expect(summary.node?.v8Version?.split(separator: ".").count == 4)

        // psinfo keeps 80 bytes of the command line; the stack has all of it.
        #expect(summary.process.argumentsSource == "stack")
        #expect(summary.process.arguments.suffix(2) == ["--abort-on-uncaught-exception", "\(FixturePaths.fixtures)/node/uncaught-exception.js"])
        #expect(summary.modules.contains { $0.path.hasSuffix("/node") && $0.buildIDMatches == true })
    }

    @Test func javaScriptFramesAreMarkedInTheJSON() throws {
        guard Command.exists("node") else { return }
        let core = try CrashCores.node("uncaught-exception.js")
        let result = try Command.diag(["core", core.path, "--json"], timeout: 60)
        #expect(result.status == 0, "\(result.standardError)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let threads = try #require(json["threads"] as? [[String: Any]])
        let frames = try #require(threads.first?["javascript_frames"] as? [[String: Any]])
        #expect(frames.first?["function"] as? String == "validateShipment")
        #expect(frames.first?["kind"] as? String == "javascript")
        #expect(frames.first?["line"] is NSNull)
        let node = try #require(json["node"] as? [String: Any])
        #expect(node["javascript_frames"] as? String == "names")
        #expect((json["verdict"] as? [String: Any])?["kind"] as? String == "node-uncaught-exception")
    }

    @Test func heapExhaustionIsAV8OutOfMemory() throws {
        guard Command.exists("node") else { return }
        let core = try CrashCores.node("heap-exhaustion.js", flags: ["--max-old-space-size=16"])
        let summary = try CoreAnalyzer.analyze(path: core.path)
        #expect(summary.signal?.name == "SIGABRT")
        #expect(summary.verdict.kind == .nodeOutOfMemory)
        #expect(summary.threads.first?.frames.contains { $0.function?.hasPrefix("node::OOMErrorHandler") == true } == true)
        #expect(summary.threads.first?.javaScriptFrames.contains { $0.function == "growForever" } == true)
    }
}
