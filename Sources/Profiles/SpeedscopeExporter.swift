import Foundation

/// Writes a `SampledProfile` in speedscope's own file format: shared frames (function, file,
/// start line) and one `sampled` profile per thread, weighted in µs by the sampling
/// interval. Off-CPU samples end in an `(idle)` frame.
public enum SpeedscopeExporter {
    public static func json(_ profile: SampledProfile) -> Data {
        var frames = profile.functions.map { function in
            Frame(name: function.name, file: function.url.isEmpty ? nil : function.url, line: function.line)
        }
        let idleFrame = frames.count
        frames.append(Frame(name: SampledProfile.idleFunctionName, file: nil, line: nil))
        var text = JSONText()
        text.raw("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"exporter\":\"diag\",\"name\":")
        text.string("\(profile.processName) (\(profile.pid))")
        text.raw(",\"activeProfileIndex\":0,\"shared\":{\"frames\":[")
        for (index, frame) in frames.enumerated() {
            if index > 0 { text.raw(",") }
            text.raw("{\"name\":")
            text.string(frame.name)
            if let file = frame.file {
                text.raw(",\"file\":")
                text.string(file)
            }
            if let line = frame.line {
                text.raw(",\"line\":")
                text.number(line)
            }
            text.raw("}")
        }
        text.raw("]},\"profiles\":[")
        var stackText: [Int: [UInt8]] = [:]
        for (index, thread) in profile.threads.enumerated() {
            if index > 0 { text.raw(",") }
            let total = profile.sampleInterval * Int64(thread.samples.count)
            text.raw("{\"type\":\"sampled\",\"name\":")
            text.string(thread.label)
            text.raw(",\"unit\":\"microseconds\",\"startValue\":0,\"endValue\":")
            text.number(total)
            text.raw(",\"samples\":[")
            for (number, sample) in thread.samples.enumerated() {
                if number > 0 { text.raw(",") }
                let key = sample.stack * 2 + (sample.isIdle ? 1 : 0)
                if stackText[key] == nil {
                    var fragment = JSONText()
                    let functions = profile.stacks[sample.stack].map { profile.locations[$0].function }
                    fragment.numbers(functions + (sample.isIdle ? [idleFrame] : []))
                    stackText[key] = fragment.bytes
                }
                text.append(stackText[key]!)
            }
            text.raw("],\"weights\":")
            text.numbers(repeatElement(profile.sampleInterval, count: thread.samples.count))
            text.raw("}")
        }
        text.raw("]}")
        return Data(text.bytes)
    }

    struct Frame {
        let name: String
        let file: String?
        let line: Int?
    }
}
