import CLibdw
import Glibc

/// The symbols of one libdwfl module, read once and sorted by address, so that finding the
/// symbol of an address is a binary search. `dwfl_module_addrinfo` walks the whole table for
/// every address: 110,000 symbols for node, about 2 ms a lookup. The choice is the same as
/// libdwfl's: the global and weak symbols are searched first, and the local ones only when
/// no global one covers the address. In each, the nearest symbol at or below the address
/// whose size covers it wins (global before weak, then the smaller); failing that, the
/// nearest sizeless symbol that no sized one follows.
/// Names point into libelf's string tables and live as long as the libdwfl session.
public final class SymbolTable {
    struct Entry {
        let start: UInt64
        let size: UInt64
        let name: UnsafePointer<CChar>
        /// 2 global, 1 weak, 0 local: the higher wins between symbols at one address.
        let rank: UInt8
        /// The first 8 bytes of the name (zero after its end), kept so that scanning names by
        /// prefix seldom touches the string table.
        let head: UInt64
    }

    /// What one part of the table offers for an address.
    private struct Candidates {
        var sized: Entry?
        var sizeless: Entry?
        /// The highest end of the sized symbols below the address: a sizeless symbol under
        /// it does not count.
        var floor: UInt64 = 0
    }

    /// The symbols of one binding class in table order, sorted by start address (so ties
    /// stay in table order).
    private struct Part {
        var entries: [Entry] = []
        /// For each entry, the highest end of the sized entries up to it: looking back from
        /// an address can stop where this falls to the address or below.
        var highestEnd: [UInt64] = []

        init(_ unsorted: [Entry]) {
            entries = Part.sortedByStart(unsorted)
            var highest: UInt64 = 0
            highestEnd = entries.map { entry in
                if entry.size > 0 { highest = max(highest, entry.start &+ entry.size) }
                return highest
            }
        }

        func candidates(for address: UInt64) -> Candidates {
            var low = 0
            var high = entries.count
            while low < high {
                let middle = (low + high) / 2
                if entries[middle].start <= address { low = middle + 1 } else { high = middle }
            }
            let last = low - 1
            guard last >= 0 else { return Candidates() }
            if highestEnd[last] > address { return Candidates(sized: sizedEntry(containing: address, from: last)) }
            return Candidates(sizeless: sizelessEntry(from: last, above: highestEnd[last]), floor: highestEnd[last])
        }

        /// The sized entry with the highest start that covers `address` (one exists at or
        /// before `last`, as `highestEnd` says). Entries at one address are visited from the
        /// last read to the first, so the first read wins a full tie.
        private func sizedEntry(containing address: UInt64, from last: Int) -> Entry? {
            var best: Entry?
            var index = last
            while index >= 0, highestEnd[index] > address {
                let entry = entries[index]
                if let chosen = best, entry.start < chosen.start { break }
                if entry.size > 0, address < entry.start &+ entry.size, best.map({ !Part.isBetter($0, than: entry) }) ?? true {
                    best = entry
                }
                index -= 1
            }
            return best
        }

        /// The sizeless entry with the highest start at or before `last`, when no sized entry
        /// ends after it (every entry from `floor` on is sizeless). Unlike sized ones, the last
        /// read wins a tie, as in libdwfl.
        private func sizelessEntry(from last: Int, above floor: UInt64) -> Entry? {
            var best: Entry?
            var index = last
            while index >= 0, entries[index].start >= floor {
                let entry = entries[index]
                if let chosen = best, entry.start < chosen.start { break }
                if best.map({ entry.rank > $0.rank }) ?? true { best = entry }
                index -= 1
            }
            return best
        }

        /// A stable radix sort on the start address, a byte at a time over the bytes in which
        /// the starts differ: a few linear passes, where comparison sorts of node's 110,000
        /// symbols took 10 ms.
        private static func sortedByStart(_ unsorted: [Entry]) -> [Entry] {
            guard let lowest = unsorted.min(by: { $0.start < $1.start })?.start,
                  let highest = unsorted.max(by: { $0.start < $1.start })?.start else { return unsorted }
            let span = highest - lowest
            let passes = span == 0 ? 0 : (64 - span.leadingZeroBitCount + 7) / 8
            var current = unsorted
            var next = unsorted
            var counts = [Int](repeating: 0, count: 257)
            for pass in 0..<passes {
                let shift = UInt64(pass * 8)
                current.withUnsafeBufferPointer { source in
                    next.withUnsafeMutableBufferPointer { target in
                        counts.withUnsafeMutableBufferPointer { counts in
                            counts.update(repeating: 0)
                            for entry in source { counts[Int((entry.start &- lowest) &>> shift & 0xff) &+ 1] &+= 1 }
                            for digit in 1...256 { counts[digit] &+= counts[digit &- 1] }
                            for entry in source {
                                let digit = Int((entry.start &- lowest) &>> shift & 0xff)
                                target[counts[digit]] = entry
                                counts[digit] &+= 1
                            }
                        }
                    }
                }
                swap(&current, &next)
            }
            return current
        }

        /// Between two sized symbols at one address: the higher binding, then the smaller size.
        private static func isBetter(_ entry: Entry, than other: Entry) -> Bool {
            if entry.rank != other.rank { return entry.rank > other.rank }
            return entry.size < other.size
        }
    }

    private let globals: Part
    private let locals: Part

    /// Reads the symbols of `module` (its symbol table, or the dynamic one when stripped).
    public init(module: OpaquePointer) {
        var globalEntries: [Entry] = []
        var localEntries: [Entry] = []
        for index in 0..<max(0, dwfl_module_getsymtab(module)) {
            var symbol = GElf_Sym()
            var address: GElf_Addr = 0
            guard let name = dwfl_module_getsym_info(module, index, &symbol, &address, nil, nil, nil),
                  symbol.st_shndx != SHN_UNDEF, name.pointee != 0 else { continue }
            let type = Int32(symbol.st_info & 0xf)
            guard type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE || type == STT_GNU_IFUNC else { continue }
            let binding = Int32(symbol.st_info >> 4)
            let entry = Entry(start: address, size: symbol.st_size, name: name,
                              rank: binding == STB_LOCAL ? 0 : binding == STB_WEAK ? 1 : 2,
                              head: SymbolTable.head(of: name))
            if entry.rank == 0 { localEntries.append(entry) } else { globalEntries.append(entry) }
        }
        globals = Part(globalEntries)
        locals = Part(localEntries)
    }

    /// The symbol for `address` and its start, or nil.
    public func symbol(at address: UInt64) -> (name: UnsafePointer<CChar>, start: UInt64)? {
        let global = globals.candidates(for: address)
        if let sized = global.sized { return (sized.name, sized.start) }
        var sizeless = global.sizeless
        var floor = global.floor
        // A global sizeless symbol exactly at the address ends the search, as in libdwfl.
        if sizeless?.start != address {
            let local = locals.candidates(for: address)
            if let sized = local.sized { return (sized.name, sized.start) }
            if let candidate = local.sizeless, sizeless.map({ candidate.start >= $0.start }) ?? true { sizeless = candidate }
            floor = max(floor, local.floor)
        }
        guard let sizeless, sizeless.start >= floor else { return nil }
        return (sizeless.name, sizeless.start)
    }

    /// Calls `body` with the name and address of every symbol whose name starts with one
    /// of `prefixes`.
    public func forEach(prefixedByAnyOf prefixes: [String], _ body: (UnsafePointer<CChar>, UInt64) -> Void) {
        let patterns = prefixes.map { prefix in
            let bytes = Array(prefix.utf8.prefix(8))
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let mask = bytes.count == 8 ? UInt64.max : (UInt64(1) << (8 * UInt64(bytes.count))) - 1
            return (word: word, mask: mask, text: Array(prefix.utf8CString.dropLast()))
        }
        for part in [globals, locals] {
            for entry in part.entries {
                for pattern in patterns where entry.head & pattern.mask == pattern.word {
                    if pattern.text.count <= 8 || strncmp(entry.name, pattern.text, pattern.text.count) == 0 {
                        body(entry.name, entry.start)
                        break
                    }
                }
            }
        }
    }

    /// The first 8 bytes of a name as a little-endian word, zero after the name's end.
    private static func head(of name: UnsafePointer<CChar>) -> UInt64 {
        var word: UInt64 = 0
        for index in 0..<8 {
            let byte = UInt8(bitPattern: name[index])
            if byte == 0 { break }
            word |= UInt64(byte) << (8 * UInt64(index))
        }
        return word
    }
}
