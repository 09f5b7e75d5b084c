/// Reads a V8 `.heapsnapshot` file in one streaming pass into a `HeapGraph`.
///
/// The file is read through a fixed buffer and never turned into a JSON tree: numbers go
/// straight into flat arrays and strings into one byte buffer, so files over 2 GB work.
/// Every count and index from the file is checked; bad input throws `HeapSnapshotError`
/// with the byte offset.
public enum HeapSnapshotReader {
    /// Largest `snapshot` header accepted (real ones are about 1 KB).
    static let headerLimit = 1 << 20

    /// Reads and validates the file at `path`. `progress` is called with (bytes read, file size).
    public static func read(path: String, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> HeapGraph {
        LargeAllocations.returnFreedColumnsToTheSystem()
        let source = try ChunkedByteSource(path: path)
        return try read(source, progress: progress)
    }

    static func read(_ source: ChunkedByteSource, progress: ((UInt64, UInt64) -> Void)?) throws -> HeapGraph {
        guard let first = try source.peekNonSpace() else {
            throw HeapSnapshotError.invalid(reason: "the file is empty")
        }
        guard first == UInt8(ascii: "{") else {
            throw HeapSnapshotError.malformed(offset: source.offset, reason: "a heap snapshot starts with '{'; this is not a .heapsnapshot file")
        }
        source.start += 1
        var meta: SnapshotMeta?
        var header: JSONValue = .null
        var nodes: NodeColumns?
        var edges: EdgeColumns?
        var strings: StringTable?
        var locations = SourceLocations()
        var keyDecoder = JSONStringDecoder()
        var expectedNodes = 0, expectedEdges = 0
        let fileSize = source.fileSize

        while true {
            guard let b = try source.peekNonSpace() else { throw HeapSnapshotError.truncated(offset: source.offset, while: "the top-level object") }
            if b == UInt8(ascii: "}") { source.start += 1; break }
            let keyOffset = source.offset
            try source.scanString(into: &keyDecoder, section: "a top-level key", maxBytes: 256)
            let key = String(decoding: keyDecoder.output, as: UTF8.self)
            guard try source.peekNonSpace() == UInt8(ascii: ":") else {
                throw HeapSnapshotError.malformed(offset: source.offset, reason: "expected ':' after \"\(key)\"")
            }
            source.start += 1
            if key != "snapshot" && meta == nil && ["nodes", "edges", "locations"].contains(key) {
                throw HeapSnapshotError.malformed(offset: keyOffset, reason: "\"\(key)\" comes before the \"snapshot\" header")
            }
            switch key {
            case "snapshot":
                let (bytes, at) = try source.captureObject(section: "the snapshot header", limit: headerLimit)
                header = try JSONValueParser.parse(bytes, baseOffset: at)
                guard let metaValue = header["meta"] else { throw HeapSnapshotError.malformed(offset: at, reason: "the snapshot header has no meta") }
                meta = try SnapshotMeta(meta: metaValue, offset: at)
                guard let n = header["node_count"]?.unsignedValue, let e = header["edge_count"]?.unsignedValue else {
                    throw HeapSnapshotError.malformed(offset: at, reason: "the snapshot header has no node_count or edge_count")
                }
                expectedNodes = Int(clamping: n)
                expectedEdges = Int(clamping: e)
            case "nodes":
                let m = meta!
                // Never trust the header for allocation: a node needs at least 2 bytes per field.
                let reserve = min(expectedNodes, Int(fileSize / UInt64(2 * m.nodeFieldCount)) + 1)
                var sink = NodeColumnsSink(meta: m, reserve: reserve)
                do { _ = try source.scanUnsignedArray(into: &sink, section: "nodes") } catch { sink.release(); throw error }
                if sink.field != 0 {
                    sink.release()
                    throw HeapSnapshotError.invalid(reason: "the nodes array ends inside a node record (\(m.nodeFieldCount) numbers per node)")
                }
                nodes = NodeColumns(&sink)
            case "edges":
                let m = meta!
                let reserve = min(expectedEdges, Int(fileSize / UInt64(2 * m.edgeFieldCount)) + 1)
                var sink = EdgeColumnsSink(meta: m, reserve: reserve)
                do { _ = try source.scanUnsignedArray(into: &sink, section: "edges") } catch { sink.release(); throw error }
                if sink.field != 0 {
                    sink.release()
                    throw HeapSnapshotError.invalid(reason: "the edges array ends inside an edge record (\(m.edgeFieldCount) numbers per edge)")
                }
                edges = EdgeColumns(&sink)
            case "locations":
                var sink = LocationSink(meta: meta!)
                _ = try source.scanUnsignedArray(into: &sink, section: "locations")
                locations = sink.locations
                locations.finish()
            case "strings":
                var table = StringTable()
                try source.scanStringArray(into: &table, section: "strings")
                strings = table
            default:
                try source.skipValue(section: "\"\(key)\"")
            }
            progress?(source.offset, fileSize)
            guard let sep = try source.peekNonSpace() else { throw HeapSnapshotError.truncated(offset: source.offset, while: "the top-level object") }
            if sep == UInt8(ascii: ",") { source.start += 1; continue }
            if sep == UInt8(ascii: "}") { source.start += 1; break }
            throw HeapSnapshotError.malformed(offset: source.offset, reason: "expected ',' or '}' after \"\(key)\"")
        }
        if let extra = try source.peekNonSpace() {
            throw HeapSnapshotError.malformed(offset: source.offset, reason: "unexpected byte 0x\(String(extra, radix: 16)) after the end of the snapshot")
        }
        guard let meta else { throw HeapSnapshotError.invalid(reason: "the \"snapshot\" header is missing") }
        guard let nodes else { throw HeapSnapshotError.invalid(reason: "the \"nodes\" array is missing") }
        guard let edges else { throw HeapSnapshotError.invalid(reason: "the \"edges\" array is missing") }
        guard let strings else { throw HeapSnapshotError.invalid(reason: "the \"strings\" array is missing") }
        return try SnapshotValidator.assemble(meta: meta, header: header, nodes: nodes, edges: edges, strings: strings,
                                             locations: locations, expectedNodes: expectedNodes, expectedEdges: expectedEdges)
    }
}
