import EventLoop
import Foundation
import Profiles
import TargetProcess
import TestSupport
import Testing

/// The threadpool's activity on real Node targets sampled natively, and on a hand-made profile.
@Suite(.serialized) struct ThreadpoolTests {
    static func sample(_ kind: String, seconds: Double = 2) throws -> ThreadpoolActivity {
        let fixture = try FixtureProcess.node("loop-blocker.js", arguments: [kind], environment: ["FIXTURE_LIFETIME": "60"])
        defer { fixture.stop() }
        usleep(500_000)
        let sampling = try ThreadpoolSampling(target: try TargetProcess(pid: fixture.pid), duration: seconds)
        sampling.start()
        let activity = try sampling.finish()
        #expect(fixture.tracerPIDs.allSatisfy { $0 == 0 }, "every thread detached")
        return activity
    }

    @Test func asyncPBKDF2FillsEveryWorker() throws {
        let pool = try Self.sample("pool")
        // libuv's default pool: 4 workers, each given a pbkdf2 call again as soon as one ends.
        #expect(pool.threads == 4)
        #expect(pool.busyFraction >= 0.9, "\(pool)")
        #expect(pool.saturated)
        #expect(pool.top.first?.function == "node::crypto::PBKDF2Traits::DeriveBits", "\(pool.top)")
        #expect((pool.top.first?.share ?? 0) >= 0.9)
    }

    @Test func aQuietServiceHasAnIdleOrNoPool() throws {
        let quiet = try Self.sample("quiet")
        #expect(quiet.busyFraction <= 0.05, "\(quiet)")
        #expect(!quiet.saturated)
    }

    @Test func parkedWorkersAreIdleAndBusyOnesNameTheirWork() {
        let functions = [
            SampledProfile.Function(name: "start_thread", url: "/lib/libc.so.6"),
            SampledProfile.Function(name: "worker", url: "/deps/uv/src/threadpool.c", line: 60),
            SampledProfile.Function(name: "uv_cond_wait", url: "/deps/uv/src/unix/thread.c"),
            SampledProfile.Function(name: "uv__fs_work", url: "/deps/uv/src/unix/fs.c"),
            SampledProfile.Function(name: "uv__fs_read", url: "/deps/uv/src/unix/fs.c"),
            SampledProfile.Function(name: "node::ThreadPoolWork::ScheduleWork()::{lambda(uv_work_s*)#1}::_FUN(uv_work_s*)", url: "node"),
            SampledProfile.Function(name: "deflate", url: "/deps/zlib/deflate.c"),
            SampledProfile.Function(name: "node::(anonymous namespace)::PlatformWorkerThread(void*)", url: "node"),
        ]
        let locations = functions.indices.map { SampledProfile.Location(function: $0) }
        let stacks = [[0, 1, 2], [0, 1, 3, 4], [0, 1, 5, 6], [0, 7, 2]]
        func samples(_ stacks: [Int]) -> [SampledProfile.Sample] {
            stacks.enumerated().map { SampledProfile.Sample(time: Int64($0.offset), stack: $0.element) }
        }
        let profile = SampledProfile(pid: 1, processName: "node", functions: functions, locations: locations, stacks: stacks,
                                     threads: [
                                         .init(tid: 2, name: "node", samples: samples([0, 0, 1, 1])),
                                         .init(tid: 3, name: "node", samples: samples([2, 2, 2, 0])),
                                         // V8's platform worker also waits in uv_cond_wait, but is no libuv worker.
                                         .init(tid: 4, name: "node", samples: samples([3, 3, 3, 3])),
                                     ],
                                     startTime: 0, endTime: 8, sampleInterval: 1)
        let pool = ThreadpoolActivity(profile: profile)
        #expect(pool.threads == 2)
        #expect(pool.samples == 8)
        #expect(pool.busyFraction == 5.0 / 8.0)
        #expect(pool.top == [.init(function: "deflate", share: 0.6), .init(function: "uv__fs_read", share: 0.4)])
        #expect(!pool.saturated)
    }
}
