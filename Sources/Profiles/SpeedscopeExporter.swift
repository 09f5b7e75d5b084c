import Foundation

/// Writes a `SampledProfile` in speedscope's own file format: shared frames (function, file,
/// start line) and one `sampled` profile per thread, weighted in µs by the sampling
/// interval. Off-CPU samples end in an `(idle)` frame.
public enum SpeedscopeExporter {
    public static func json(_ profile: SampledProfile) throws -> Data {
        var frames = profile.functions.map { function in
            Frame(name: function.name, file: function.url.isEmpty ? nil : function.url, line: function.line)
        }
        let idleFrame = frames.count
        frames.append(Frame(name: SampledProfile.idleFunctionName, file: nil, line: nil))
        let profiles = profile.threads.map { thread in
            let stacks = thread.samples.map { sample in
                profile.stacks[sample.stack].map { profile.locations[$0].function } + (sample.isIdle ? [idleFrame] : [])
            }
            let weights = [Int64](repeating: profile.sampleInterval, count: stacks.count)
            return Profile(type: "sampled", name: thread.label, unit: "microseconds", startValue: 0,
                           endValue: weights.reduce(0, +), samples: stacks, weights: weights)
        }
        let file = File(schema: "https://www.speedscope.app/file-format-schema.json", shared: Shared(frames: frames),
                        profiles: profiles, name: "\(profile.processName) (\(profile.pid))", activeProfileIndex: 0,
                        exporter: "diag")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(file)
    }

    struct File: Encodable {
        let schema: String
        let shared: Shared
        let profiles: [Profile]
        let name: String
        let activeProfileIndex: Int
        let exporter: String

        enum CodingKeys: String, CodingKey {
            case schema = "$schema", shared, profiles, name, activeProfileIndex, exporter
        }
    }

    struct Shared: Encodable {
        let frames: [Frame]
    }

    struct Frame: Encodable {
        let name: String
        let file: String?
        let line: Int?
    }

    struct Profile: Encodable {
        let type: String
        let name: String
        let unit: String
        let startValue: Int64
        let endValue: Int64
        let samples: [[Int]]
        let weights: [Int64]
    }
}
