import DiagSupport
import Foundation
import Glibc
import NodeInspector

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
    /// From the request until the target had written the snapshot: its main thread is
    /// frozen for about as long.
    public let seconds: Double
    /// True when Ctrl-C or SIGTERM came during the snapshot: it was dropped, not handed over.
    public let interrupted: Bool
}

extension NodeChannel {
    /// `process.memoryUsage()` of the target.
    public func memoryUsage() throws -> NodeMemoryUsage {
        let value = try evaluate("process.memoryUsage()") as? [String: Any] ?? [:]
        func number(_ key: String) -> Int64 { (value[key] as? NSNumber)?.int64Value ?? 0 }
        return NodeMemoryUsage(rss: number("rss"), heapTotal: number("heapTotal"), heapUsed: number("heapUsed"))
    }

    /// Takes one heap snapshot. The target writes it itself (fs.writeSync of each chunk, in
    /// the in-process session's chunk handler) into a 0600 file in the agent's private
    /// directory, so nothing is buffered in its memory and the freeze is V8's own; diag then
    /// reads that file into `sink` (1 MB at a time) and removes it. `collectGarbage` runs a
    /// full GC first. `progress`, when given, gets V8's (done, total) node counts. Ctrl-C
    /// cannot stop V8 once it has started: the file is then dropped and `interrupted` set.
    public func takeHeapSnapshot(collectGarbage: Bool, into sink: (UnsafeRawBufferPointer) throws -> Void,
                                 progress: ((Int, Int) -> Void)? = nil) throws -> HeapSnapshotTransfer {
        try call("HeapProfiler.enable")
        if collectGarbage { try call("HeapProfiler.collectGarbage", timeout: 300) }
        if let progress {
            onCDPEvent("HeapProfiler.reportHeapSnapshotProgress") { params in
                progress((params["done"] as? Int) ?? 0, (params["total"] as? Int) ?? 0)
            }
        }
        defer { removeCDPEventHandler("HeapProfiler.reportHeapSnapshotProgress") }
        let start = MonotonicClock.seconds()
        // Progress costs the target an extra pass over its heap (V8 counts the objects
        // first), so it is asked for only when someone watches it.
        let response = try guarded {
            try cdp.call("diag.heapSnapshot", ["reportProgress": progress != nil, "captureNumericValue": false], timeout: nil)
        }
        let seconds = MonotonicClock.seconds() - start
        guard let file = response.object(response.result)["file"] as? String else {
            throw DiagError(.failure, "diag's agent in \(pid) wrote no snapshot")
        }
        let path = "/proc/\(pid)/root\(file)"
        defer { unlink(path) }
        if StopRequest.isRequested { return HeapSnapshotTransfer(bytes: 0, seconds: seconds, interrupted: true) }
        let bytes = try copy(agentFile: path, into: sink)
        return HeapSnapshotTransfer(bytes: bytes, seconds: seconds, interrupted: StopRequest.isRequested)
    }

    /// Reads a file the agent wrote in its directory: a regular file of the target's user,
    /// opened without following links.
    private func copy(agentFile path: String, into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw DiagError.system("cannot open the snapshot \(pid) wrote", errno: errno) }
        defer { Glibc.close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_uid == target.process.status.effectiveUID else {
            throw DiagError(.failure, "the snapshot file in diag's directory of \(pid) is not a regular file of its user; not reading it")
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total: Int64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw DiagError.system("cannot read the snapshot \(pid) wrote", errno: errno) }
            if count == 0 { return total }
            total += Int64(count)
            try buffer.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// scriptId → URL for every script the target has compiled, so that the `locations` of a
    /// snapshot taken in this session can be resolved offline. Uses Debugger.enable with all
    /// pauses skipped (a `debugger;` statement must never stop the target), then disables it.
    public func scriptURLs() throws -> [String: String] {
        var scripts: [String: String] = [:]
        onCDPEvent("Debugger.scriptParsed") { params in
            if let id = params["scriptId"] as? String, let url = params["url"] as? String, !url.isEmpty { scripts[id] = url }
        }
        defer { removeCDPEventHandler("Debugger.scriptParsed") }
        try guarded {
            let enable = try cdp.send("Debugger.enable")
            try cdp.sendIgnoringResponse("Debugger.setSkipAllPauses", ["skip": true])
            _ = try cdp.response(to: enable, method: "Debugger.enable", timeout: 60)
            try cdp.call("Debugger.disable")
        }
        return scripts
    }
}
