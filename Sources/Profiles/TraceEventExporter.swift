import Foundation

/// Writes a `SampledProfile` in the Trace Event Format that Chrome DevTools' Performance
/// panel and Perfetto open: `process_name` and `thread_name` metadata, then per thread one
/// `Profile` event and `ProfileChunk` events sharing an id unique to the thread, so that
/// every thread gets its own track. Every event carries `cat` (DevTools fails without it).
/// Each thread also gets one complete (`X`) event spanning the capture: DevTools' trace
/// engine takes the trace's time bounds from such events, and without any it shows the
/// profiles' threads empty.
public enum TraceEventExporter {
    /// Samples per `ProfileChunk` event, as V8 splits its own.
    static let samplesPerChunk = 1000
    static let profilerCategory = "disabled-by-default-v8.cpu_profiler"

    public static func json(_ profile: SampledProfile) throws -> Data {
        var events: [Event] = [
            Event(ph: "M", cat: "__metadata", name: "process_name", pid: profile.pid, tid: 0, ts: 0,
                  args: .name(profile.processName)),
        ]
        for thread in profile.threads {
            events.append(Event(ph: "M", cat: "__metadata", name: "thread_name", pid: profile.pid, tid: thread.tid,
                                ts: 0, args: .name(thread.name)))
        }
        for thread in profile.threads {
            events += threadEvents(thread, profile: profile)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(TraceFile(traceEvents: events))
    }

    private static func threadEvents(_ thread: SampledProfile.Thread, profile: SampledProfile) -> [Event] {
        var single = profile
        single.threads = [thread]
        let cpuProfile = CPUProfileExporter.cpuProfile(single)
        let id = "0x" + String(thread.tid, radix: 16)
        var parents: [Int: Int] = [:]
        for node in cpuProfile.nodes {
            for child in node.children ?? [] { parents[child] = node.id }
        }
        let nodes = cpuProfile.nodes.map { ChunkNode(id: $0.id, parent: parents[$0.id], callFrame: $0.callFrame) }
        var events = [
            Event(ph: "X", cat: "diag", name: "Sampling", pid: profile.pid, tid: thread.tid, ts: profile.startTime,
                  dur: max(cpuProfile.endTime - profile.startTime, 1), args: .none),
            Event(ph: "P", cat: profilerCategory, name: "Profile", pid: profile.pid, tid: thread.tid,
                  ts: profile.startTime, id: id, args: .profile(ProfileData(startTime: profile.startTime))),
        ]
        var time = profile.startTime
        var first = 0
        repeat {
            let last = min(first + samplesPerChunk, cpuProfile.samples.count)
            let deltas = Array(cpuProfile.timeDeltas[first..<last])
            time += deltas.reduce(0, +)
            let isLast = last == cpuProfile.samples.count
            let chunk = ChunkData(cpuProfile: ChunkProfile(nodes: first == 0 ? nodes : nil,
                                                           samples: Array(cpuProfile.samples[first..<last])),
                                  timeDeltas: deltas, endTime: isLast ? cpuProfile.endTime : nil)
            events.append(Event(ph: "P", cat: profilerCategory, name: "ProfileChunk", pid: profile.pid, tid: thread.tid,
                                ts: isLast ? cpuProfile.endTime : time, id: id, args: .chunk(chunk)))
            first = last
        } while first < cpuProfile.samples.count
        return events
    }

    struct TraceFile: Encodable {
        let traceEvents: [Event]
    }

    struct Event: Encodable {
        let ph: String
        let cat: String
        let name: String
        let pid: Int32
        let tid: Int32
        let ts: Int64
        var dur: Int64?
        var id: String?
        let args: Arguments

        init(ph: String, cat: String, name: String, pid: Int32, tid: Int32, ts: Int64, dur: Int64? = nil, id: String? = nil,
             args: Arguments) {
            self.ph = ph
            self.cat = cat
            self.name = name
            self.pid = pid
            self.tid = tid
            self.ts = ts
            self.dur = dur
            self.id = id
            self.args = args
        }
    }

    enum Arguments: Encodable {
        case none
        case name(String)
        case profile(ProfileData)
        case chunk(ChunkData)

        private enum Keys: String, CodingKey { case name, data }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            switch self {
            case .none: break
            case .name(let name): try container.encode(name, forKey: .name)
            case .profile(let data): try container.encode(data, forKey: .data)
            case .chunk(let data): try container.encode(data, forKey: .data)
            }
        }
    }

    struct ProfileData: Encodable {
        let startTime: Int64
    }

    struct ChunkData: Encodable {
        let cpuProfile: ChunkProfile
        let timeDeltas: [Int64]
        let endTime: Int64?
    }

    struct ChunkProfile: Encodable {
        let nodes: [ChunkNode]?
        let samples: [Int]
    }

    struct ChunkNode: Encodable {
        let id: Int
        let parent: Int?
        let callFrame: CPUProfile.CallFrame
    }
}
