/// One V8 heap page (a MemoryChunk) found in a core.
struct V8HeapPage: Sendable, Equatable {
    var address: UInt64
    var size: UInt64
    var flags: UInt64
    /// The first and one-past-last byte of the object area.
    var areaStart: UInt64
    var areaEnd: UInt64
    /// The Heap the page belongs to (0 for read-only pages).
    var heap: UInt64

    /// A regular new-space page in from-space: outside a scavenge it holds only the
    /// leftovers of the last one (moved objects' forwarding words and dead objects).
    var isFromSpace: Bool { size == V8HeapPages.pageSize && flags & V8HeapPages.fromPageFlag != 0 }

    /// A regular new-space page in to-space: allocated from its start up to the allocation
    /// top, with stale leftovers of earlier scavenges after it.
    var isToSpace: Bool { size == V8HeapPages.pageSize && flags & V8HeapPages.toPageFlag != 0 }
}

/// Finds the V8 heap's pages in a core. node exports no postmortem constants for pages, so
/// they are found the way V8 lays them out: every page (and every large-object page) starts
/// at a 256 KiB boundary with a header whose first words are size, flags, heap, area_start
/// and area_end (BasicMemoryChunk in V8 10–12). A boundary whose words fit that shape is a
/// candidate; the heap that most candidates name is the isolate's heap.
enum V8HeapPages {
    static let pageSize: UInt64 = 1 << 18
    /// BasicMemoryChunk::FROM_PAGE.
    static let fromPageFlag: UInt64 = 1 << 3
    /// BasicMemoryChunk::TO_PAGE.
    static let toPageFlag: UInt64 = 1 << 4
    /// A header bigger than this is not a page header.
    static let maximumHeaderSize: UInt64 = 1 << 16

    struct Found {
        var pages: [V8HeapPage]
        var heap: UInt64
        /// Pages of other heaps (worker isolates), left out.
        var otherHeapPages: Int
    }

    static func find(memory: CoreMemory) -> Found {
        var candidates: [V8HeapPage] = []
        for segment in memory.savedSegments where segment.isWritable {
            let end = segment.virtualAddress &+ segment.fileSize
            var address = (segment.virtualAddress &+ pageSize &- 1) & ~(pageSize - 1)
            while address < end, end - address >= 40 {
                if let page = header(at: address, memory: memory) { candidates.append(page) }
                address &+= pageSize
            }
        }
        var votes: [UInt64: Int] = [:]
        for page in candidates where page.heap != 0 { votes[page.heap, default: 0] += 1 }
        guard let heap = votes.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })?.key else {
            return Found(pages: [], heap: 0, otherHeapPages: 0)
        }
        let pages = candidates.filter { $0.heap == heap }
        return Found(pages: pages, heap: heap, otherHeapPages: candidates.count - pages.count - candidates.filter { $0.heap == 0 }.count)
    }

    private static func header(at address: UInt64, memory: CoreMemory) -> V8HeapPage? {
        guard let words = memory.savedBytes(address, count: 40) else { return nil }
        let size = words.u64(at: 0)!, flags = words.u64(at: 8)!, heap = words.u64(at: 16)!
        let areaStart = words.u64(at: 24)!, areaEnd = words.u64(at: 32)!
        guard size >= 4096, size % 4096 == 0, size <= 1 << 36, heap % 8 == 0,
              areaStart > address, areaStart - address <= maximumHeaderSize, areaStart % 8 == 0,
              areaEnd > areaStart, areaEnd - address <= size, areaEnd % 8 == 0 else { return nil }
        return V8HeapPage(address: address, size: size, flags: flags, areaStart: areaStart, areaEnd: areaEnd, heap: heap)
    }
}
