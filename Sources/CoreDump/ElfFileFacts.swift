/// What an ELF file on disk offers, read from its headers without loading or decompressing
/// any debugging section: its GNU build-id, whether it has a full symbol table (.symtab) and
/// DWARF (.debug_info).
public struct ElfFileFacts: Sendable, Equatable {
    public var buildID: String?
    public var hasSymbolTable: Bool
    public var hasDebugInfo: Bool

    /// The facts of `path`, or nil when it is not a readable ELF file.
    public static func read(_ path: String) -> ElfFileFacts? {
        guard let file = try? MappedFile(path: path) else { return nil }
        let view = file.view
        guard view.u32(at: 0) == 0x464c_457f, view.u8(at: 4) == 2 else { return nil }
        var facts = ElfFileFacts(buildID: nil, hasSymbolTable: false, hasDebugInfo: false)
        facts.buildID = programHeaderBuildID(view) ?? sectionBuildID(view)
        scanSections(view, &facts)
        return facts
    }

    private static func programHeaderBuildID(_ view: ByteView) -> String? {
        guard let offset = view.u64(at: 32), let entrySize = view.u16(at: 54), let count = view.u16(at: 56),
              entrySize >= 56 else { return nil }
        for index in 0..<UInt64(count) {
            let at = offset &+ index &* UInt64(entrySize)
            guard view.u32(at: at) == CoreLayout.noteSegment, let start = view.u64(at: at &+ 8),
                  let size = view.u64(at: at &+ 32), let notes = view.slice(offset: start, count: size) else { continue }
            if let id = buildID(inNotes: notes) { return id }
        }
        return nil
    }

    /// Separate debug files have no program headers with content: look in .note sections.
    private static func sectionBuildID(_ view: ByteView) -> String? {
        var result: String?
        forEachSection(view) { type, _, offset, size in
            guard result == nil, type == 7, let notes = view.slice(offset: offset, count: size) else { return }  // SHT_NOTE
            result = buildID(inNotes: notes)
        }
        return result
    }

    private static func scanSections(_ view: ByteView, _ facts: inout ElfFileFacts) {
        guard let stringsIndex = view.u16(at: 62), let sectionOffset = view.u64(at: 40),
              let entrySize = view.u16(at: 58), entrySize >= 64,
              let stringsOffset = view.u64(at: sectionOffset &+ UInt64(stringsIndex) &* UInt64(entrySize) &+ 24) else { return }
        var symbolTable = false
        var debugInfo = false
        forEachSection(view) { type, name, offset, size in
            if type == 2 { symbolTable = true }  // SHT_SYMTAB
            // A .debug_info section with content (NOBITS in stripped files does not count).
            if type != 8, size > 0, view.string(at: stringsOffset &+ UInt64(name), maxLength: 32) == ".debug_info" {
                debugInfo = true
            }
        }
        facts.hasSymbolTable = symbolTable
        facts.hasDebugInfo = debugInfo
    }

    /// Calls `body(type, nameOffset, offset, size)` for every section header.
    private static func forEachSection(_ view: ByteView, _ body: (UInt32, UInt32, UInt64, UInt64) -> Void) {
        guard let offset = view.u64(at: 40), let entrySize = view.u16(at: 58), let count = view.u16(at: 60),
              entrySize >= 64 else { return }
        for index in 0..<UInt64(count) {
            let at = offset &+ index &* UInt64(entrySize)
            guard let name = view.u32(at: at), let type = view.u32(at: at &+ 4), let start = view.u64(at: at &+ 24),
                  let size = view.u64(at: at &+ 32) else { return }
            body(type, name, start, size)
        }
    }

    static func buildID(inNotes notes: ByteView) -> String? {
        var offset: UInt64 = 0
        while let nameSize = notes.u32(at: offset), let descriptionSize = notes.u32(at: offset &+ 4),
              let type = notes.u32(at: offset &+ 8) {
            let name = offset &+ 12
            let description = name &+ ((UInt64(nameSize) + 3) & ~3)
            if type == 3, nameSize == 4, notes.string(at: name, maxLength: 4) == "GNU",
               let bytes = notes.slice(offset: description, count: UInt64(descriptionSize)) {
                return bytes.array.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
            }
            offset = description &+ ((UInt64(descriptionSize) + 3) & ~3)
        }
        return nil
    }
}
