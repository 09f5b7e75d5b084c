import Foundation
import NativeProfiler
import Profiles
import Testing
import TestSupport

/// Reading a thread's scheduler state from /proc.
enum ThreadStates {
    static func state(pid: Int32, tid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].split(separator: " ").first.map(String.init)
    }
}

extension NativeIntegration {
    /// Every way a capture ends leaves the target running with no thread traced, and errors
    /// say what happened.
    @Suite struct DetachSafety {
        @Test(arguments: [SIGINT, SIGTERM], SamplingMethod.allCases)
        func stopSignalEndsCaptureWritesFileAndDetaches(signal: Int32, method: SamplingMethod) throws {
            guard method.isAvailable else { return }
            let fixture = try FixtureProcess.native("hot_threads")
            let directory = try FixturePaths.temporaryDirectory("diag-native")
            let path = "\(directory)/interrupted.cpuprofile"
            let diag = Process()
            diag.executableURL = URL(fileURLWithPath: FixturePaths.diagExecutable)
            diag.arguments = ["cpu", String(fixture.pid), "--duration", "60", "--sampler", method.option, "--json", "-o", path]
            let output = Pipe()
            diag.standardOutput = output
            diag.standardError = FileHandle.nullDevice
            try diag.run()
            defer { if diag.isRunning { kill(diag.processIdentifier, SIGKILL) } }
            usleep(1_500_000)
            // While sampling with ptrace, every thread of the target is seized: traced, and still
            // running; with perf_event none is traced.
            let tracer = method == .ptrace ? diag.processIdentifier : 0
            #expect(fixture.tracerPIDs.allSatisfy { $0 == tracer })
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

        /// Threads start and exit all through the capture, and signals keep arriving: every
        /// signal is delivered (a traced thread that receives one is let go at once), new
        /// threads are sampled, exited ones reaped, and the target runs on untraced.
        @Test(arguments: SamplingMethod.allCases)
        func threadsComingAndGoingAndSignalsDuringCapture(method: SamplingMethod) throws {
            guard method.isAvailable else { return }
            let directory = try FixturePaths.temporaryDirectory("diag-churn")
            let countFile = "\(directory)/signals"
            let fixture = try FixtureProcess.native("churn_threads", arguments: [countFile])
            let diag = Process()
            diag.executableURL = URL(fileURLWithPath: FixturePaths.diagExecutable)
            diag.arguments = ["cpu", String(fixture.pid), "--duration", "3", "--sampler", method.option, "--json",
                              "-o", "\(directory)/churn.cpuprofile"]
            let output = Pipe()
            diag.standardOutput = output
            diag.standardError = FileHandle.nullDevice
            try diag.run()
            defer { if diag.isRunning { kill(diag.processIdentifier, SIGKILL) } }
            usleep(500_000)
            let sent = 40
            for _ in 0..<sent {
                kill(fixture.pid, SIGUSR1)
                usleep(20_000)
            }
            let text = output.fileHandleForReading.readDataToEndOfFile()
            diag.waitUntilExit()
            #expect(diag.terminationStatus == 0)
            let report = try JSONDecoder().decode(NativeCPUReport.self, from: text)
            #expect(report.ended == "completed")
            #expect(report.messages.contains { $0.contains("started during the capture") })
            #expect(report.messages.contains { $0.contains("exited during the capture") })
            #expect(report.threads.count > 10)
            #expect(fixture.isRunningUntraced)
            usleep(100_000)
            let seen = Int((try String(contentsOfFile: countFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            // Signals close together may merge when the machine is busy; none may be lost to diag.
            #expect(seen >= sent * 9 / 10, "\(seen) of \(sent) SIGUSR1 delivered")
            // No thread is left a zombie waiting for diag to reap it.
            let states = fixture.threadIDs.compactMap { ThreadStates.state(pid: fixture.pid, tid: $0) }
            #expect(!states.contains("Z") && !states.contains("t"))
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

        /// Without perf_event permission (an unprivileged user while kernel.perf_event_paranoid is
        /// 2 or more), `auto` samples with ptrace and says why; `perf` is a clear error.
        @Test func unprivilegedUserFallsBackToPtrace() throws {
            let paranoid = (try? String(contentsOfFile: "/proc/sys/kernel/perf_event_paranoid", encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
            guard geteuid() == 0, Command.exists("setpriv"), paranoid >= 2 else { return }
            let asNobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            let binary = try FixtureCompiler.compile("hot_threads")
            let fixture = try FixtureProcess(executable: "/usr/bin/env", arguments: asNobody + [binary])
            let directory = try FixturePaths.temporaryDirectory("diag-nobody")
            chmod(directory, 0o777)
            let automatic = try Command.run("/usr/bin/env", asNobody + [
                FixturePaths.diagExecutable, "cpu", String(fixture.pid), "--duration", "1", "--json",
                "-o", "\(directory)/auto.cpuprofile",
            ])
            #expect(automatic.status == 0, "\(automatic.standardError)")
            let report = try JSONDecoder().decode(NativeCPUReport.self, from: Data(automatic.standardOutput.utf8))
            #expect(report.impact.method == .ptrace)
            #expect(report.messages.contains { $0.hasPrefix("sampled with ptrace: perf_event_open is not permitted") }, "\(report.messages)")
            #expect(report.sampleCount > 50)

            let explicit = try Command.run("/usr/bin/env", asNobody + [
                FixturePaths.diagExecutable, "cpu", String(fixture.pid), "--duration", "1", "--sampler", "perf",
                "-o", "\(directory)/perf.cpuprofile",
            ])
            #expect(explicit.status == 3)
            #expect(explicit.standardError.contains("cannot sample with perf_event: perf_event_open is not permitted"))
            #expect(explicit.standardError.contains("hint: use --sampler ptrace"))
            #expect(fixture.isRunningUntraced)
        }

        @Test func processTracedByAnotherToolIsAClearError() throws {
            let fixture = try FixtureProcess.native("steady_stacks")
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: FixturePaths.diagExecutable)
            holder.arguments = ["cpu", String(fixture.pid), "--duration", "20", "--sampler", "ptrace", "--quiet", "-o", "/dev/null"]
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
            // perf_event needs no ptrace attachment: a traced process can still be profiled.
            if PerfEventSupport.isAvailable {
                let profiled = try Command.diag(["cpu", String(fixture.pid), "--duration", "0.5", "--json", "-o", "/dev/null"])
                #expect(profiled.status == 0, "\(profiled.standardError)")
                #expect(profiled.standardOutput.contains("\"method\" : \"perf_event\""), "\(profiled.standardOutput)")
            }
            holder.interrupt()
            holder.waitUntilExit()
            #expect(fixture.isRunningUntraced)
        }
    }
}
