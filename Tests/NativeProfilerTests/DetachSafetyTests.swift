import Foundation
import NativeProfiler
import Profiles
import Testing
import TestSupport

extension NativeIntegration {
    /// Every way a capture ends leaves the target running with no thread traced, and errors
    /// say what happened.
    @Suite struct DetachSafety {
        @Test(arguments: [SIGINT, SIGTERM])
        func stopSignalEndsCaptureWritesFileAndDetaches(signal: Int32) throws {
            let fixture = try FixtureProcess.native("hot_threads")
            let directory = try FixturePaths.temporaryDirectory("diag-native")
            let path = "\(directory)/interrupted.cpuprofile"
            let diag = Process()
            diag.executableURL = URL(fileURLWithPath: FixturePaths.diagExecutable)
            diag.arguments = ["cpu", String(fixture.pid), "--duration", "60", "--json", "-o", path]
            let output = Pipe()
            diag.standardOutput = output
            diag.standardError = FileHandle.nullDevice
            try diag.run()
            defer { if diag.isRunning { kill(diag.processIdentifier, SIGKILL) } }
            usleep(1_500_000)
            // While sampling, every thread of the target is seized: traced, and still running.
            #expect(fixture.tracerPIDs.allSatisfy { $0 == diag.processIdentifier })
            kill(diag.processIdentifier, signal)
            let text = output.fileHandleForReading.readDataToEndOfFile()
            diag.waitUntilExit()

            #expect(diag.terminationStatus == 0)
            let report = try JSONDecoder().decode(NativeCPUReport.self, from: text)
            #expect(report.ended == (signal == SIGINT ? "stopped by SIGINT" : "stopped by SIGTERM"))
            #expect(report.durationSeconds < 10)
            let profile = try CPUProfile.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(profile.samples.count > 10)
            #expect(fixture.isRunningUntraced)
        }

        @Test func missingProcessIsAClearError() throws {
            for command in [["cpu", "4000000", "--duration", "1"], ["stack", "4000000"]] {
                let result = try Command.diag(command)
                #expect(result.status == 2)
                #expect(result.standardError.contains("no such process 4000000"))
            }
        }

        @Test func processOfAnotherUserIsAClearPermissionError() throws {
            guard geteuid() == 0, Command.exists("setpriv") else { return }
            let fixture = try FixtureProcess.native("steady_stacks")
            let result = try Command.run("/usr/bin/env", [
                "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                FixturePaths.diagExecutable, "stack", String(fixture.pid),
            ])
            #expect(result.status == 3)
            #expect(result.standardError.contains("permission denied: process \(fixture.pid) belongs to user root"))
            #expect(result.standardError.contains("hint:"))
            #expect(fixture.isRunningUntraced)
        }

        @Test func processTracedByAnotherToolIsAClearError() throws {
            let fixture = try FixtureProcess.native("steady_stacks")
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: FixturePaths.diagExecutable)
            holder.arguments = ["cpu", String(fixture.pid), "--duration", "20", "--quiet", "-o", "/dev/null"]
            try holder.run()
            defer {
                if holder.isRunning { holder.interrupt() }
                holder.waitUntilExit()
            }
            let deadline = Date().addingTimeInterval(10)
            while !fixture.tracerPIDs.contains(holder.processIdentifier) && Date() < deadline { usleep(20_000) }

            let result = try Command.diag(["stack", String(fixture.pid)])
            #expect(result.status == 3)
            #expect(result.standardError.contains("is already traced by pid \(holder.processIdentifier)"))
            holder.interrupt()
            holder.waitUntilExit()
            #expect(fixture.isRunningUntraced)
        }
    }
}
