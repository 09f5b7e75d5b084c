/// The GNU build-id of an ELF file on disk, read from its PT_NOTE segments (a note of type
/// NT_GNU_BUILD_ID owned by "GNU"), to compare with the one recorded in a core.
public enum BuildID {
    public static func ofFile(_ path: String) -> String? {
        guard let file = try? MappedFile(path: path) else { return nil }
        let view = file.view
        guard view.u32(at: 0) == 0x464c_457f, view.u8(at: 4) == 2,
              let headerOffset = view.u64(at: 32), let entrySize = view.u16(at: 54), let count = view.u16(at: 56),
              entrySize >= 56 else { return nil }
        for index in 0..<UInt64(count) {
            let at = headerOffset &+ index &* UInt64(entrySize)
            guard view.u32(at: at) == CoreLayout.noteSegment, let offset = view.u64(at: at + 8),
                  let size = view.u64(at: at + 32), let notes = view.slice(offset: offset, count: size) else { continue }
            if let id = findBuildID(notes) { return id }
        }
        return nil
    }

    private static func findBuildID(_ notes: ByteView) -> String? {
        var offset: UInt64 = 0
        while let nameSize = notes.u32(at: offset), let descriptionSize = notes.u32(at: offset + 4),
              let type = notes.u32(at: offset + 8) {
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
