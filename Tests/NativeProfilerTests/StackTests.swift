import Foundation
import NativeProfiler
import Testing
import TestSupport

extension NativeIntegration {
    /// `diag stack`: every thread once, checked against eu-stack on the same process.
    @Suite struct ThreadStacks {
        /// The top frame of every thread names the same function as `eu-stack -p`
        /// (eu-stack shows no inlined frames without -i, so diag's first non-inline frame).
        @Test func topFramesAgreeWithEuStack() throws {
            guard Command.exists("eu-stack") else { return }
            let fixture = try FixtureProcess.native("steady_stacks")
            usleep(200_000)  // let the threads reach their steady functions
            let result = try Command.diag(["stack", String(fixture.pid), "--json"])
            #expect(result.status == 0, "\(result.standardError)")
            let dump = try JSONDecoder().decode(StackDump.self, from: Data(result.standardOutput.utf8))
            #expect(fixture.isRunningUntraced)

            let reference = try Command.run("/usr/bin/env", ["eu-stack", "-p", String(fixture.pid)])
            let euTop = Self.topFrames(fromEuStack: reference.standardOutput)
            #expect(dump.threads.count == 4)
            #expect(euTop.count == 4, "\(reference.standardOutput)")
            for thread in dump.threads {
                let diagTop = thread.frames.first { !$0.inline }?.function
                #expect(diagTop == euTop[thread.tid], "thread \(thread.tid) \(thread.name)")
            }
            let spinner = try #require(dump.threads.first { $0.name == "spinner" })
            #expect(spinner.frames.map(\.function).prefix(2) == ["spin_leaf", "spinner"])
            #expect(spinner.frames.first?.file?.hasSuffix("steady_stacks.c") == true)
            #expect(dump.groups.reduce(0) { $0 + $1.count } == 4)
            let executable = try #require(dump.modules.first { $0.path.contains("steady_stacks") })
            #expect(executable.buildID?.count == 40)
            #expect(executable.hasDebugInfo)
        }

        @Test func threadsWithTheSameStackAreGrouped() throws {
            let fixture = try FixtureProcess.native("steady_stacks")
            let result = try Command.diag(["stack", String(fixture.pid)])
            #expect(result.status == 0)
            #expect(result.standardOutput.contains("4 threads, 4 distinct stacks"))
            #expect(result.standardOutput.contains("spin_leaf (steady_stacks.c:"))

            let dump = StackDump(pid: 1, process: "p", threads: [
                StackDump.Thread(tid: 2, name: "a", state: "S", frames: [Self.frame("wait")], note: nil),
                StackDump.Thread(tid: 3, name: "b", state: "S", frames: [Self.frame("wait")], note: nil),
                StackDump.Thread(tid: 4, name: "c", state: "R", frames: [Self.frame("work")], note: nil),
            ])
            #expect(dump.groups.map(\.count) == [2, 1])
            #expect(dump.groups[0].tids == [2, 3])
            #expect(dump.renderText().contains("2 threads: 2 a S, 3 b S"))
        }

        @Test func inlinedFramesAreMarked() throws {
            let fixture = try FixtureProcess.native("hot_threads")
            let result = try Command.diag(["stack", String(fixture.pid), "--json"])
            let dump = try JSONDecoder().decode(StackDump.self, from: Data(result.standardOutput.utf8))
            let solo = try #require(dump.threads.first { $0.name == "solo-c" })
            let names = solo.frames.map(\.function)
            // The thread is either in the inlined loop body or in hot_c's own loop code.
            if names.first == "mix_step" {
                #expect(solo.frames[0].inline)
                #expect(names[1] == "hot_c" && !solo.frames[1].inline)
                #expect(solo.frames[0].offset == solo.frames[1].offset)
            } else {
                #expect(names.first == "hot_c")
            }
            #expect(names.contains("solo_c"))
            #expect(fixture.isRunningUntraced)
        }

        /// Code without unwind information (JIT code) is unwound through its frame pointer
        /// and named from /tmp/perf-PID.map.
        @Test func jitFramesUnwindByFramePointerAndTakePerfMapNames() throws {
            let fixture = try FixtureProcess.native("jit_frames")
            defer { unlink("/tmp/perf-\(fixture.pid).map") }
            usleep(100_000)
            let result = try Command.diag(["stack", String(fixture.pid), "--json"])
            let dump = try JSONDecoder().decode(StackDump.self, from: Data(result.standardOutput.utf8))
            let thread = try #require(dump.threads.first { $0.frames.first?.function == "jit_callee" })
            #expect(thread.frames.map(\.function).prefix(4) == ["jit_callee", "jit_trampoline", "run_jit", "jit_thread"])
            #expect(thread.frames[1].module?.contains("/tmp/perf-\(fixture.pid).map") == true)
            #expect(fixture.isRunningUntraced)
        }

        /// clang leaves out .debug_aranges, through which elfutils 0.188 finds line
        /// information: the symbolizer then scans the compile units itself.
        @Test func clangBuiltBinaryStillHasSourceLines() throws {
            let clang = ["/opt/swift/usr/bin/clang", "/usr/bin/clang"].first { FileManager.default.isExecutableFile(atPath: $0) }
            guard let clang else { return }
            let directory = try FixturePaths.temporaryDirectory("diag-clang")
            let binary = "\(directory)/steady_clang"
            let compile = try Command.run(clang, FixtureCompiler.defaultFlags + [
                "-I", "\(FixturePaths.fixtures)/native", "-o", binary, "\(FixturePaths.fixtures)/native/steady_stacks.c",
            ])
            #expect(compile.status == 0, "\(compile.standardError)")
            let fixture = try FixtureProcess(executable: binary)
            usleep(200_000)
            let result = try Command.diag(["stack", String(fixture.pid), "--json"])
            let dump = try JSONDecoder().decode(StackDump.self, from: Data(result.standardOutput.utf8))
            let spinner = try #require(dump.threads.first { $0.name == "spinner" })
            let leaf = try #require(spinner.frames.first)
            #expect(leaf.function == "spin_leaf")
            #expect(leaf.file?.hasSuffix("steady_stacks.c") == true)
            #expect(leaf.line == (try FixtureSource.line(containing: "spin_counter++", in: "steady_stacks")))
        }

        static func frame(_ function: String) -> StackDump.Frame {
            StackDump.Frame(function: function, file: nil, line: nil, module: nil, offset: nil, address: "0x1", inline: false)
        }

        /// `TID n:` headers followed by `#0  0xADDRESS function` lines.
        static func topFrames(fromEuStack text: String) -> [Int32: String] {
            var result: [Int32: String] = [:]
            var current: Int32?
            for line in text.split(separator: "\n") {
                if line.hasPrefix("TID ") {
                    current = Int32(line.dropFirst(4).dropLast())
                } else if let tid = current, line.hasPrefix("#0 ") {
                    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                    if fields.count >= 3 { result[tid] = String(fields[2]) }
                    current = nil
                }
            }
            return result
        }
    }
}
