/// One object the heap walk found.
struct V8HeapObject {
    /// The tagged pointer (address + 1).
    var pointer: UInt64
    var map: UInt64
    var type: Int
    var size: UInt64
    /// The page's object area and the object's offset in it, to read its fields.
    var area: ByteView
    var offset: UInt64

    /// The tagged word at `fieldOffset` of the object, nil past its end.
    func field(_ fieldOffset: UInt64) -> UInt64? {
        fieldOffset + 8 <= size ? area.u64(at: offset + fieldOffset) : nil
    }
}

/// Walks every object in the V8 heap pages of a core, page by page from area_start: each
/// object starts with its map (a Map whose own map is the meta map) and its size comes from
/// the map (`V8ObjectSizes`). Free space and fillers are skipped. Where a word is not a map
/// (the unused end of a linear allocation area, whose bytes are stale), or a size is not
/// known, the walk goes on at the next word where three objects in a row check out; the
/// bytes skipped that way are counted. From-space pages hold no live objects and are left out;
/// in to-space pages the walk ends at the first such word (the allocation top).
/// Nothing is marked from roots: dead objects that the sweeper has not freed yet are walked too.
final class V8HeapWalker {
    struct Statistics: Sendable {
        var pages = 0
        var pagesNotSaved = 0
        var fromSpacePages = 0
        var objects = 0
        var bytes: UInt64 = 0
        /// Bytes stepped over because they did not start an object.
        var skippedBytes: UInt64 = 0
        /// Objects whose size was found from where the next object starts.
        var objectsOfUnknownSize = 0
    }

    struct MapFacts {
        var type: Int
        var instanceWords: Int
    }

    let memory: CoreMemory
    let pages: [V8HeapPage]
    let sizes: V8ObjectSizes
    let metaMap: UInt64
    private let instanceSizeOffset: UInt64, instanceTypeOffset: UInt64
    private var maps: [UInt64: MapFacts] = [:]
    private(set) var statistics = Statistics()

    /// Nil when no page starts with an object whose map chain ends in a meta map.
    init?(memory: CoreMemory, pages: [V8HeapPage], sizes: V8ObjectSizes, constants: [String: Int64]) {
        self.memory = memory
        self.pages = pages
        self.sizes = sizes
        instanceSizeOffset = UInt64(constants["v8dbg_class_Map__instance_size_in_words__char"] ?? 8)
        instanceTypeOffset = UInt64(constants["v8dbg_class_Map__instance_type__uint16_t"] ?? 12)
        var meta: UInt64?
        for page in pages where meta == nil {
            guard let first = memory.readU64(page.areaStart), first & 3 == 1,
                  let candidate = memory.readU64(first &- 1), candidate & 3 == 1,
                  memory.readU64(candidate &- 1) == candidate else { continue }
            meta = candidate
        }
        guard let meta else { return nil }
        metaMap = meta
    }

    /// The facts of `word` when it points at a Map.
    func mapFacts(_ word: UInt64) -> MapFacts? {
        if let known = maps[word] { return known }
        guard word & 3 == 1, word > 4096, let bytes = memory.savedBytes(word &- 1, count: 16),
              bytes.u64(at: 0) == metaMap,
              let words = bytes.u8(at: instanceSizeOffset), let type = bytes.u16(at: instanceTypeOffset) else { return nil }
        let facts = MapFacts(type: Int(type), instanceWords: Int(words))
        maps[word] = facts
        return facts
    }

    /// Calls `visit` for every object, in page order.
    func walk(_ visit: (V8HeapObject) -> Void) {
        statistics = Statistics()
        for page in pages {
            if page.isFromSpace { statistics.fromSpacePages += 1; continue }
            guard let area = memory.savedBytes(page.areaStart, count: page.areaEnd - page.areaStart) else {
                statistics.pagesNotSaved += 1
                continue
            }
            statistics.pages += 1
            walk(area: area, start: page.areaStart, stopsAtFirstGap: page.isToSpace, visit)
        }
    }

    /// `stopsAtFirstGap`: the first word that starts no object ends the walk of the area
    /// (to-space, where what follows the allocation top is stale).
    private func walk(area: ByteView, start: UInt64, stopsAtFirstGap: Bool, _ visit: (V8HeapObject) -> Void) {
        let end = UInt64(area.count)
        var offset: UInt64 = 0
        while offset + 8 <= end {
            let map = area.u64(at: offset)!
            guard let facts = mapFacts(map), let size = objectSize(facts, area: area, offset: offset), size <= end - offset else {
                let next = stopsAtFirstGap ? end : nextObject(area: area, after: offset)
                statistics.skippedBytes += next - offset
                offset = next
                continue
            }
            if !isFreeSpaceOrFiller(facts) {
                statistics.objects += 1
                statistics.bytes += size
                visit(V8HeapObject(pointer: start + offset + 1, map: map, type: facts.type, size: size,
                                   area: area, offset: offset))
            }
            offset += size
        }
    }

    /// Free space, and the one- and two-word fillers (FILLER_TYPE sorts just before
    /// FREE_SPACE_TYPE among V8's instance types and has no constant of its own).
    private func isFreeSpaceOrFiller(_ facts: MapFacts) -> Bool {
        facts.type == sizes.freeSpaceType || (facts.type == sizes.freeSpaceType - 1 && (1...2).contains(facts.instanceWords))
    }

    private func objectSize(_ facts: MapFacts, area: ByteView, offset: UInt64) -> UInt64? {
        switch sizes.size(type: facts.type, instanceWords: facts.instanceWords, bytes: area, offset: offset) {
        case .exact(let size):
            return size >= 8 ? size : nil
        case .context(let size):
            return startsObjects(area: area, at: offset + size) || !startsObjects(area: area, at: offset + size + 8) ? size : size + 8
        case .unknown:
            statistics.objectsOfUnknownSize += 1
            return nextObject(area: area, after: offset) - offset
        }
    }

    /// The first offset after `offset` where objects start (or the area's end).
    private func nextObject(area: ByteView, after offset: UInt64) -> UInt64 {
        var candidate = offset + 8
        while candidate + 8 <= UInt64(area.count), !startsObjects(area: area, at: candidate) { candidate += 8 }
        return min(candidate, UInt64(area.count))
    }

    /// True when three objects in a row (fewer if the area ends) start at `offset`.
    private func startsObjects(area: ByteView, at offset: UInt64, depth: Int = 3) -> Bool {
        var cursor = offset
        for _ in 0..<depth {
            if cursor == UInt64(area.count) { return true }
            guard let word = area.u64(at: cursor), let facts = mapFacts(word) else { return false }
            guard case .exact(let size) = sizes.size(type: facts.type, instanceWords: facts.instanceWords, bytes: area, offset: cursor) else {
                return true
            }
            guard size >= 8, size <= UInt64(area.count) - cursor else { return false }
            cursor += size
        }
        return true
    }
}
