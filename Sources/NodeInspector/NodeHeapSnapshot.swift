import DiagSupport
import Foundation

/// What `process.memoryUsage()` says about the target, in bytes.
public struct NodeMemoryUsage: Sendable, Codable {
    public let rss: Int64
    public let heapTotal: Int64
    public let heapUsed: Int64
}

/// How one heap snapshot came over.
public struct HeapSnapshotTransfer: Sendable {
    /// Bytes of snapshot text handed to the sink.
    public let bytes: Int64
    /// From the request to the response; the target's main thread is frozen for about as long.
    public let seconds: Double
    /// True when Ctrl-C or SIGTERM came during the snapshot: the rest was drained, not written.
    public let interrupted: Bool
}

extension NodeInspectorSession {
    /// `process.memoryUsage()` of the target.
    public func memoryUsage() throws -> NodeMemoryUsage {
        let value = try evaluate("process.memoryUsage()") as? [String: Any] ?? [:]
        func number(_ key: String) -> Int64 { (value[key] as? NSNumber)?.int64Value ?? 0 }
        return NodeMemoryUsage(rss: number("rss"), heapTotal: number("heapTotal"), heapUsed: number("heapUsed"))
    }

    /// Takes one heap snapshot (HeapProfiler.takeHeapSnapshot) and streams its text to `sink`
    /// chunk by chunk (one call per chunk), never holding more than one ~100 kB chunk. `collectGarbage` runs a full
    /// GC first. `progress`, when given, gets V8's (done, total) node counts. Ctrl-C cannot stop V8 once
    /// it has started: the remaining chunks are then read and dropped, and `interrupted` is set.
    public func takeHeapSnapshot(collectGarbage: Bool, into sink: @escaping (UnsafeRawBufferPointer) throws -> Void,
                                 progress: ((Int, Int) -> Void)? = nil) throws -> HeapSnapshotTransfer {
        if !heapProfilerEnabled {
            try cdp.call("HeapProfiler.enable")
            heapProfilerEnabled = true
        }
        if collectGarbage { try cdp.call("HeapProfiler.collectGarbage", timeout: 300) }
        let start = MonotonicClock.seconds()
        var decoder = JSONStringDecoder()
        var decoded: [UInt8] = []
        decoded.reserveCapacity(1 << 18)
        var bytes: Int64 = 0
        var interrupted = false
        var sinkError: Error?
        let previous = cdp.onEvent
        defer { cdp.onEvent = previous }
        cdp.onEvent = { message in
            if StopRequest.isRequested && !interrupted {
                interrupted = true
                Terminal.printError("\ndiag: stopping: V8 cannot be interrupted mid-snapshot, so diag reads and drops the rest, then closes the inspector")
            }
            switch message.method {
            case "HeapProfiler.addHeapSnapshotChunk":
                guard !interrupted, sinkError == nil,
                      let chunk = try message.members(of: message.params).first(where: { $0.key == "chunk" })?.value else { return }
                do {
                    decoded.removeAll(keepingCapacity: true)
                    try message.bytes.withUnsafeBytes { raw in
                        try decoder.decode(UnsafeRawBufferPointer(rebasing: raw[(chunk.lowerBound + 1)..<(chunk.upperBound - 1)]), appendingTo: &decoded)
                    }
                    bytes += Int64(decoded.count)
                    try decoded.withUnsafeBytes { try sink($0) }
                } catch {
                    sinkError = error
                }
            case "HeapProfiler.reportHeapSnapshotProgress":
                let params = message.object(message.params)
                progress?((params["done"] as? Int) ?? 0, (params["total"] as? Int) ?? 0)
            default:
                try previous?(message)
            }
        }
        // Progress costs the target an extra pass over its heap (V8 counts the objects first),
        // so it is asked for only when someone watches it.
        let id = try cdp.send("HeapProfiler.takeHeapSnapshot", ["reportProgress": progress != nil, "captureNumericValue": false])
        _ = try cdp.response(to: id, method: "HeapProfiler.takeHeapSnapshot", timeout: nil)
        if let sinkError { throw sinkError }
        if !interrupted {
            decoded.removeAll(keepingCapacity: true)
            decoder.finish(appendingTo: &decoded)
            bytes += Int64(decoded.count)
            try decoded.withUnsafeBytes { try sink($0) }
        }
        return HeapSnapshotTransfer(bytes: bytes, seconds: MonotonicClock.seconds() - start,
                                    interrupted: interrupted || StopRequest.isRequested)
    }

    /// scriptId → URL for every script the target has compiled, so that the `locations` of a
    /// snapshot taken in this session can be resolved offline. Uses Debugger.enable with all
    /// pauses skipped (a `debugger;` statement must never stop the target), then disables it.
    public func scriptURLs() throws -> [String: String] {
        var scripts: [String: String] = [:]
        let previous = cdp.onEvent
        defer { cdp.onEvent = previous }
        cdp.onEvent = { message in
            guard message.method == "Debugger.scriptParsed" else { try previous?(message); return }
            let params = message.object(message.params)
            if let id = params["scriptId"] as? String, let url = params["url"] as? String, !url.isEmpty { scripts[id] = url }
        }
        let enable = try cdp.send("Debugger.enable")
        try cdp.sendIgnoringResponse("Debugger.setSkipAllPauses", ["skip": true])
        _ = try cdp.response(to: enable, method: "Debugger.enable", timeout: 60)
        try cdp.call("Debugger.disable")
        return scripts
    }
}
