import Foundation
import Inventory
import TestSupport
import Testing

/// `diag doctor` on real processes.
@Suite(.serialized) struct DoctorTests {
    private func check(_ name: String, in report: DoctorReport) throws -> DoctorCheck {
        try #require(report.checks.first { $0.name == name }, "no check named \(name)")
    }

    @Test func nativeFixtureCanBeTracedAndHasDebugInfo() throws {
        let fixture = try FixtureProcess.native("spin")
        let report = try Doctor.run(pid: fixture.pid)
        #expect(report.target?.runtime == "native")
        #expect(try check("ptrace", in: report).status == .ok)
        #expect(fixture.tracerPIDs.allSatisfy { $0 == 0 }, "doctor left a thread traced")
        #expect(fixture.isRunning)
        let debugInfo = try check("debug info", in: report)
        #expect(debugInfo.status == .ok)
        #expect(!debugInfo.detail.contains("spin-"), "the fixture was built with -g: \(debugInfo.detail)")
        #expect(report.checks.allSatisfy { !["inspector", "SIGUSR1"].contains($0.name) })
    }

    @Test func strippedBinaryIsReportedWithoutDWARF() throws {
        let fixture = try FixtureProcess.native("spin", extraFlags: ["-s"])
        let report = try Doctor.run(pid: fixture.pid)
        let debugInfo = try check("debug info", in: report)
        #expect(debugInfo.status == .warn)
        #expect(debugInfo.detail.contains("spin-"))
        #expect(debugInfo.fix?.contains("-g") == true)
    }

    @Test func alreadyTracedProcessFailsWithTheTracerNamed() throws {
        let fixture = try FixtureProcess.native("spin")
        let tracer = try FixtureProcess(executable: "/usr/bin/env", arguments: ["sh", "-c", "echo ready; exec gdb -q -batch -p \(fixture.pid) -ex 'shell sleep 60'"],
                                        readyMarker: "ready")
        // gdb attaches after printing; wait until the kernel shows the tracer.
        var traced = false
        for _ in 0..<100 where !traced {
            traced = fixture.tracerPIDs.first.map { $0 != 0 } ?? false
            if !traced { usleep(100_000) }
        }
        try #require(traced, "gdb did not attach")
        let report = try Doctor.run(pid: fixture.pid)
        let ptrace = try check("ptrace", in: report)
        #expect(ptrace.status == .fail)
        #expect(ptrace.detail.contains("already traced by pid"))
        tracer.stop()
    }

    @Test func nodeTargetReportsInspectorAndSignal() throws {
        let fixture = try FixtureProcess.node("http-service.js", environment: ["NODE_OPTIONS": "--inspect-port=0"])
        let closed = try Doctor.run(pid: fixture.pid)
        #expect(closed.target?.runtime.hasPrefix("Node.js") == true)
        #expect(try check("inspector", in: closed).detail.contains("random port"))
        #expect(try check("SIGUSR1", in: closed).status == .ok)
        kill(fixture.pid, SIGUSR1)
        var open: DoctorReport?
        for _ in 0..<50 {
            open = try Doctor.run(pid: fixture.pid)
            if let report = open, try check("inspector", in: report).detail.contains("is open") { break }
            usleep(100_000)
        }
        let inspector = try check("inspector", in: try #require(open))
        #expect(inspector.status == .ok)
        #expect(inspector.detail.contains("127.0.0.1:"))
    }

    @Test func inspectorPortHeldByAnotherProcessFails() throws {
        let holder = try FixtureProcess.node("port-holder.js")
        let port = try #require(holder.startupOutput.last?.split(separator: " ").last.flatMap { UInt16($0) })
        let fixture = try FixtureProcess.node("http-service.js", environment: ["NODE_OPTIONS": "--inspect-port=\(port)"])
        let report = try Doctor.run(pid: fixture.pid)
        let inspector = try check("inspector", in: report)
        #expect(inspector.status == .fail)
        #expect(inspector.detail.contains("held by pid \(holder.pid)"))
    }

    @Test func machineChecksWithoutPid() throws {
        let report = try Doctor.run(pid: nil)
        #expect(report.target == nil)
        #expect(Set(report.checks.map(\.name)) == ["privileges", "ptrace_scope", "perf_event", "container", "core_pattern"])
        #expect(try check("privileges", in: report).status == (geteuid() == 0 ? .ok : .warn))
        if geteuid() == 0 { #expect(try check("perf_event", in: report).status == .ok) }
    }

    @Test func missingPidIsAClearError() {
        #expect(throws: Error.self) { try Doctor.run(pid: 999_999_999) }
    }
}
