/// `diag core CORE --js-objects`: the objects of a Node.js core's V8 heap counted per
/// constructor (DevTools' Summary class names), with their total shallow size and one
/// example address each. Every object found in the heap pages is counted: the walk does not
/// mark from roots, so garbage the sweeper has not freed yet is counted too (a core taken
/// after a full GC, such as right after a heap snapshot, has none).
public struct JSObjectCensus: Sendable {
    /// One constructor's objects.
    public struct Row: Codable, Sendable, Equatable {
        public var constructor: String
        public var count: Int
        /// Total shallow size in bytes.
        public var bytes: UInt64
        /// The tagged address of one of them, for `--js-object`.
        public var example: String
    }

    /// How the heap was walked, for the user to judge the numbers.
    public struct Walk: Codable, Sendable {
        public var pages: Int
        public var pagesNotSaved: Int
        public var fromSpacePagesSkipped: Int
        public var otherHeapPagesSkipped: Int
        public var objects: Int
        public var bytes: UInt64
        /// Bytes that did not start an object (unused allocation areas) and were stepped over.
        public var skippedBytes: UInt64
        public var objectsOfUnknownSize: Int
        public var method: String
    }

    public var file: String
    public var v8Version: String?
    /// Every constructor, most objects first.
    public var rows: [Row]
    public var walk: Walk
    /// Per constructor, the tagged addresses and sizes of its objects in address order
    /// (kept only when asked, for diffs).
    public var instances: [String: [(address: UInt64, size: UInt64)]]

    public static let method = "every object found in the heap pages (no marking from roots: unswept garbage may be counted)"

    public static func take(path: String, keepInstances: Bool = false) throws -> JSObjectCensus {
        let core = try NodeCore(path: path)
        let names = V8ClassNames(heap: core.heap, walker: core.walker)
        struct Tally { var count = 0; var bytes: UInt64 = 0; var example: UInt64 = 0 }
        var tallies: [String: Tally] = [:]
        var instances: [String: [(address: UInt64, size: UInt64)]] = [:]
        core.walker.walk { object in
            let name = names.name(map: object.map, type: object.type)
            tallies[name, default: Tally(example: object.pointer)].count += 1
            tallies[name]!.bytes += object.size
            if keepInstances { instances[name, default: []].append((object.pointer, object.size)) }
        }
        let rows = tallies.map { Row(constructor: $0.key, count: $0.value.count, bytes: $0.value.bytes, example: hex($0.value.example)) }
            .sorted { ($0.count, $0.bytes, $1.constructor) > ($1.count, $1.bytes, $0.constructor) }
        let s = core.walker.statistics
        return JSObjectCensus(
            file: path, v8Version: core.postmortem.version, rows: rows,
            walk: Walk(pages: s.pages, pagesNotSaved: s.pagesNotSaved, fromSpacePagesSkipped: s.fromSpacePages,
                       otherHeapPagesSkipped: core.pages.otherHeapPages, objects: s.objects, bytes: s.bytes,
                       skippedBytes: s.skippedBytes, objectsOfUnknownSize: s.objectsOfUnknownSize, method: method),
            instances: instances)
    }

    static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
}
