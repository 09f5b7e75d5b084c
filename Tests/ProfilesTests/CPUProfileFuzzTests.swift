import Foundation
import Profiles
import Testing
import TestSupport

/// Mutants of a real `.cpuprofile` (Node's --cpu-prof) give a clean error or a summary:
/// never a trap, never a hang. Most run in-process through `CPUProfile.decode` and
/// `ProfileSummary`; a few through `diag summary`, which must exit below 128.
@Suite(.serialized) struct CPUProfileFuzzTests {
    /// A real profile of a short busy loop in Node, made once per test process.
    static let realProfile: Result<[UInt8], FixtureError> = {
        do {
            let directory = try FixturePaths.temporaryDirectory("diag-cpuprofile")
            let script = "function f(n){let s=0;for(let i=0;i<n;i++)s+=Math.sqrt(i);return s}"
                + "const t=Date.now();while(Date.now()-t<150)f(1e4)"
            let run = try Command.run("/usr/bin/env", ["node", "--cpu-prof", "--cpu-prof-dir=\(directory)", "-e", script], timeout: 60)
            guard run.status == 0 else { return .failure(FixtureError("node --cpu-prof failed: \(run.standardError)")) }
            guard let name = try FileManager.default.contentsOfDirectory(atPath: directory).first(where: { $0.hasSuffix(".cpuprofile") }) else {
                return .failure(FixtureError("node --cpu-prof wrote no profile in \(directory)"))
            }
            return .success(Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)"))))
        } catch let error as FixtureError {
            return .failure(error)
        } catch {
            return .failure(FixtureError("\(error)"))
        }
    }()

    /// Up to three mutations stacked, so that damage in several places meets.
    static func mutate(_ original: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var bytes = original
        for _ in 0..<Int.random(in: 1...3, using: &rng) { bytes = Mutator.mutateJSON(bytes, &rng) }
        return bytes
    }

    /// Decodes and summarizes the bytes as `diag summary` does; errors are clean outcomes.
    static func exercise(_ bytes: [UInt8]) -> String? {
        do {
            let profile = try CPUProfile.decode(Data(bytes))
            let summary = ProfileSummary(profile: profile)
            _ = summary.renderTopFunctions(limit: 10)
            _ = try JSONEncoder().encode(summary)
            _ = profile.encodedJSON()
        } catch is ProfileFormatError {
        } catch {
            return "unexpected error type \(type(of: error)): \(error)"
        }
        return nil
    }

    @Test(.timeLimit(.minutes(3)))
    func mutantsNeverCrashOrHangInProcess() throws {
        let original = try Self.realProfile.get()
        #expect(Self.exercise(original) == nil)
        let campaign = try FuzzCampaign(kind: "cpuprofile", seed: 20261207, mutants: 3000)
        let failures = try campaign.run(original: original, mutate: Self.mutate) { bytes, _ in Self.exercise(bytes) }
        #expect(failures.isEmpty, "\(failures.prefix(5).joined(separator: "\n"))")
    }

    @Test(.timeLimit(.minutes(3)))
    func mutantsExitCleanlyThroughDiag() throws {
        let original = try Self.realProfile.get()
        let campaign = try FuzzCampaign(kind: "cpuprofile", seed: 20261208, mutants: 60)
        let failures = try campaign.run(original: original, mutate: Self.mutate) { _, path in
            FuzzCampaign.cleanExit(try Command.diag(["summary", path], timeout: 30))
        }
        #expect(failures.isEmpty, "\(failures.prefix(5).joined(separator: "\n"))")
    }
}

/// Crafted profiles found by the fuzz test and by hand (issue 12, finding 4), minimized.
@Suite struct HostileProfileTests {
    static func profile(startTime: String = "0", endTime: String = "100", deltas: String = "[1,2]",
                        line: String = "3", children: String = "[2]", samples: String = "[2,2]") -> Data {
        Data("""
        {"nodes":[{"id":1,"callFrame":{"functionName":"(root)","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1},"children":\(children)},
        {"id":2,"callFrame":{"functionName":"f","scriptId":"1","url":"/a.js","lineNumber":\(line),"columnNumber":0},"hitCount":2,"children":[]}],
        "startTime":\(startTime),"endTime":\(endTime),"samples":\(samples),"timeDeltas":\(deltas)}
        """.utf8)
    }

    @Test(arguments: [
        profile(startTime: "-9223372036854775808", endTime: "9223372036854775807"),
        profile(startTime: "9223372036854775807", endTime: "-9223372036854775808"),
        profile(deltas: "[9223372036854775807,9223372036854775807]"),
        profile(deltas: "[-9223372036854775808,9223372036854775807]"),
        profile(startTime: "9223372036854775807", deltas: "[1,1]"),
        profile(endTime: "-9223372036854775808", deltas: "[9223372036854775807,-9223372036854775808]"),
        profile(line: "9223372036854775807"),
    ])
    func numbersAtTheEdgesOfInt64AreSummarized(_ data: Data) throws {
        let summary = ProfileSummary(profile: try CPUProfile.decode(data))
        #expect(summary.sampleCount == 2)
        #expect(summary.durationMilliseconds.isFinite)
        #expect(summary.bySelf.allSatisfy { $0.selfMilliseconds >= 0 && $0.selfMilliseconds.isFinite })
        _ = summary.renderTopFunctions()
    }

    @Test func aCycleInTheCallTreeIsAnError() {
        let cycle = Data("""
        {"nodes":[{"id":1,"callFrame":{"functionName":"(root)","scriptId":"0","url":""},"children":[]},
        {"id":2,"callFrame":{"functionName":"a","scriptId":"0","url":""},"children":[3]},
        {"id":3,"callFrame":{"functionName":"b","scriptId":"0","url":""},"children":[2]}],
        "startTime":0,"endTime":10,"samples":[3],"timeDeltas":[1]}
        """.utf8)
        #expect(throws: ProfileFormatError.self) { try CPUProfile.decode(cycle) }
    }

    @Test func aNodeWithTwoParentsOrTheRootAsAChildIsAnError() {
        #expect(throws: ProfileFormatError.self) { try CPUProfile.decode(Self.profile(children: "[2,2]")) }
        #expect(throws: ProfileFormatError.self) { try CPUProfile.decode(Self.profile(children: "[1,2]")) }
    }
}
