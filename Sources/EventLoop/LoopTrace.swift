import Foundation

/// The blocks as a Trace Event file for DevTools' Performance panel: each block one
/// complete (`X`) slice on the main thread's track, named after its function, with its
/// kind, script and line as arguments; one more slice spans the whole window (DevTools takes
/// a trace's bounds from such events). Every event has a `cat`, which DevTools needs.
public enum LoopTrace {
    /// `windowStart` and `windowEnd` are µs on CLOCK_MONOTONIC, block starts count from `windowStart`.
    public static func json(pid: Int32, blocks: [LoopBlock], windowStart: Int64, windowEnd: Int64) throws -> Data {
        var events: [Event] = [
            Event(name: "process_name", cat: "__metadata", ph: "M", ts: 0, dur: nil, pid: pid, tid: pid,
                  args: ["name": "node (\(pid))"]),
            Event(name: "thread_name", cat: "__metadata", ph: "M", ts: 0, dur: nil, pid: pid, tid: pid,
                  args: ["name": "main thread (event loop)"]),
            Event(name: "diag loop window", cat: "diag", ph: "X", ts: windowStart, dur: max(windowEnd - windowStart, 1),
                  pid: pid, tid: pid, args: [:]),
        ]
        for block in blocks {
            var args = ["kind": block.kind.rawValue, "url": block.url]
            if let line = block.line { args["line"] = String(line) }
            args["stack"] = block.stack.map { "\($0.function) \($0.url):\($0.line.map(String.init) ?? "?")" }.joined(separator: "\n")
            events.append(Event(name: "\(block.kind.rawValue): \(block.function)", cat: "diag,loop", ph: "X",
                                ts: windowStart + Int64(block.startMilliseconds * 1000),
                                dur: max(Int64(block.durationMilliseconds * 1000), 1), pid: pid, tid: pid, args: args))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(TraceFile(traceEvents: events))
    }

    private struct TraceFile: Encodable {
        var traceEvents: [Event]
    }

    private struct Event: Encodable {
        var name: String
        var cat: String
        var ph: String
        var ts: Int64
        var dur: Int64?
        var pid: Int32
        var tid: Int32
        var args: [String: String]
    }
}
