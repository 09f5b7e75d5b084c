import Foundation
import Testing
import NodeInspector
import TargetProcess
import TestSupport

/// The target is left as it was found on every path, and the refusals are clear.
@Suite struct InspectorSafetyTests {
    @Test func notNodeIsRefusedWithoutASignal() throws {
        let sleeper = try FixtureProcess(executable: "/bin/sh", arguments: ["-c", "echo ready; exec sleep 120"])
        let result = try Command.diag(["heap", String(sleeper.pid), "-o", "/dev/null"])
        #expect(result.status == 4)
        #expect(result.standardError.contains("\(sleeper.pid) (sleep) is not a Node.js process; heap snapshots need a V8 target"))
        usleep(200_000)
        #expect(sleeper.isRunning)  // SIGUSR1 would have killed it
    }

    @Test func injectedStateIsRemovedAfterACommand() throws {
        let service = try NodeService("hot-functions.js")
        let directory = try FixturePaths.temporaryDirectory()
        let result = try Command.diag(["cpu", String(service.pid), "--duration", "500ms", "-o", "\(directory)/p.cpuprofile", "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(service.otherListeningPorts.isEmpty)
        // Look inside with a session of our own: arming its switch found none left over.
        let (openedByDiag, foundLeftover) = try NodeInspectorSession.withSession(pid: service.pid, purpose: "test") { session in
            (session.openedByDiag, session.foundLeftoverSwitch)
        }
        #expect(openedByDiag && !foundLeftover)
        #expect(service.otherListeningPorts.isEmpty)
        #expect(service.answersHTTP)
    }

    @Test func anotherAttachedClientIsNamed() throws {
        let service = try NodeService("hot-functions.js")
        let holder = try NodeInspectorSession.open(pid: service.pid, purpose: "test")  // this test process is the other client
        defer { try? holder.close() }
        let directory = try FixturePaths.temporaryDirectory()
        let result = try Command.diag(["cpu", String(service.pid), "--duration", "500ms", "-o", "\(directory)/shared.cpuprofile"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("another inspector client is attached (pid \(getpid())"), "\(result.standardError)")
        #expect(result.standardError.contains("already open"))
        try holder.close()
        #expect(service.otherListeningPorts.isEmpty)
    }

    @Test func portHeldByAnotherProcessIsNamed() throws {
        let holder = try NodeService("http-service.js")
        let service = try NodeService("hot-functions.js", environment: ["NODE_OPTIONS": "--inspect-port=\(holder.appPort)"])
        let result = try Command.diag(["cpu", String(service.pid), "--duration", "1s", "-o", "/dev/null"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("inspector port \(holder.appPort) is held by pid \(holder.pid) (node)"), "\(result.standardError)")
        #expect(service.process.isRunning && service.answersHTTP)
    }

    @Test func appHandlingSIGUSR1ItselfGetsAClearError() throws {
        let service = try NodeService("own-sigusr1.js")
        let result = try Command.diag(["heap", String(service.pid), "-o", "/dev/null"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("did not open an inspector"))
        #expect(result.standardError.contains("handle SIGUSR1 itself"))
        #expect(service.process.isRunning && service.answersHTTP)
        #expect(service.otherListeningPorts.isEmpty)
    }

    @Test func ctrlCMidSnapshotClosesTheInspectorAndWritesNothing() throws {
        let service = try NodeService("heap-objects.js", environment: ["ALLOC_MB": "30"])
        let directory = try FixturePaths.temporaryDirectory()
        let diag = try BackgroundDiag(["heap", String(service.pid), "-o", "\(directory)/cut.heapsnapshot"])
        #expect(NodeService.wait(timeout: 20) { !service.otherListeningPorts.isEmpty })
        usleep(800_000)  // connected; V8 is inside the snapshot (about 2-5 s for this heap)
        diag.process.interrupt()
        let (status, standardError) = diag.finish(timeout: 120)
        #expect(status == 1, "\(standardError)")
        #expect(standardError.contains("interrupted"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        #expect(service.otherListeningPorts.isEmpty)
        #expect(service.answersHTTP)
    }

    @Test func targetThatExitsMidCaptureIsReportedAndNothingIsWritten() throws {
        let service = try NodeService("hot-functions.js")
        let directory = try FixturePaths.temporaryDirectory()
        let diag = try BackgroundDiag(["cpu", String(service.pid), "--duration", "30s", "-o", "\(directory)/gone.cpuprofile"])
        #expect(NodeService.wait(timeout: 20) { !service.otherListeningPorts.isEmpty })
        usleep(500_000)
        service.process.stop()
        let (status, standardError) = diag.finish(timeout: 30)
        #expect(status == 2, "\(standardError)")
        #expect(standardError.contains("process \(service.pid) exited while diag was connected to it"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func targetInAnotherNetworkNamespace() throws {
        guard getuid() == 0, Command.exists("unshare"), Command.exists("ip") else { return }
        let node = try Command.run("/usr/bin/env", ["sh", "-c", "command -v node"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let script = "\(FixturePaths.fixtures)/node/heap-objects.js"
        let process = try FixtureProcess(executable: "/usr/bin/unshare", arguments: ["-n", "sh", "-c", "ip link set lo up && exec \(node) \(script)"],
                                         environment: ["NODE_OPTIONS": "--inspect-port=0", "FIXTURE_LIFETIME": "180"], timeout: 60)
        let service = try NodeService(wrapping: process)
        #expect(NetworkNamespace.isForeign(pid: service.pid))
        let directory = try FixturePaths.temporaryDirectory()
        let result = try Command.diag(["heap", String(service.pid), "-o", "\(directory)/netns.heapsnapshot", "--json"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: "\(directory)/netns.heapsnapshot"))
        #expect(service.otherListeningPorts.isEmpty)
    }
}
