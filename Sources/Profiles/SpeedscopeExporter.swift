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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // The header and frames through the encoder; the long sample arrays written directly.
        var text = Data("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"exporter\":\"diag\",".utf8)
        text.append(contentsOf: Array("\"name\":".utf8))
        text.append(try encoder.encode("\(profile.processName) (\(profile.pid))"))
        text.append(contentsOf: Array(",\"activeProfileIndex\":0,\"shared\":{\"frames\":".utf8))
        text.append(try encoder.encode(frames))
        text.append(contentsOf: Array("},\"profiles\":[".utf8))
        var stackText: [Int: Data] = [:]
        for (index, thread) in profile.threads.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            let total = profile.sampleInterval * Int64(thread.samples.count)
            text.append(contentsOf: Array("{\"type\":\"sampled\",\"name\":".utf8))
            text.append(try encoder.encode(thread.label))
            text.append(contentsOf: Array(",\"unit\":\"microseconds\",\"startValue\":0,\"endValue\":\(total),\"samples\":[".utf8))
            for (number, sample) in thread.samples.enumerated() {
                if number > 0 { text.append(UInt8(ascii: ",")) }
                let key = sample.stack * 2 + (sample.isIdle ? 1 : 0)
                if stackText[key] == nil {
                    var fragment = Data()
                    let functions = profile.stacks[sample.stack].map { profile.locations[$0].function }
                    JSONNumbers.append(functions + (sample.isIdle ? [idleFrame] : []), to: &fragment)
                    stackText[key] = fragment
                }
                text.append(stackText[key]!)
            }
            text.append(contentsOf: Array("],\"weights\":".utf8))
            JSONNumbers.append(repeatElement(profile.sampleInterval, count: thread.samples.count), to: &text)
            text.append(UInt8(ascii: "}"))
        }
        text.append(contentsOf: Array("]}".utf8))
        return text
    }

    struct Frame: Encodable {
        let name: String
        let file: String?
        let line: Int?
    }
}
