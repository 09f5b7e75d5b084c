import CLibdw
import Glibc

/// A read-only, memory-mapped ELF file opened with libelf, for the few questions diag asks
/// of a binary directly: which dynamic symbols it exports and what a section contains.
public final class ElfFile {
    public let path: String
    private let descriptor: Int32
    private let elf: OpaquePointer
    private let mapping: UnsafeRawBufferPointer

    /// Opens `path`; nil when it is not a readable ELF file.
    public init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size > 0,
              let base = mmap(nil, Int(status.st_size), PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            close(fd)
            return nil
        }
        elf_version(UInt32(EV_CURRENT))
        guard let handle = elf_memory(base.assumingMemoryBound(to: CChar.self), Int(status.st_size)),
              elf_kind(handle) == ELF_K_ELF else {
            munmap(base, Int(status.st_size))
            close(fd)
            return nil
        }
        self.path = path
        descriptor = fd
        elf = handle
        mapping = UnsafeRawBufferPointer(start: base, count: Int(status.st_size))
    }

    deinit {
        elf_end(elf)
        munmap(UnsafeMutableRawPointer(mutating: mapping.baseAddress), mapping.count)
        close(descriptor)
    }

    /// The names among `names` that the file's dynamic symbol table defines.
    public func definedDynamicSymbols(among names: Set<String>) -> Set<String> {
        var found: Set<String> = []
        forEachSection { section, header in
            guard header.sh_type == SHT_DYNSYM, header.sh_entsize > 0,
                  let data = elf_getdata(section, nil) else { return }
            let count = Int(header.sh_size / header.sh_entsize)
            for index in 0..<count {
                var symbol = GElf_Sym()
                guard gelf_getsym(data, Int32(index), &symbol) != nil, symbol.st_shndx != SHN_UNDEF,
                      let name = elf_strptr(elf, Int(header.sh_link), Int(symbol.st_name)) else { continue }
                let text = String(cString: name)
                if names.contains(text) { found.insert(text) }
            }
        }
        return found
    }

    /// The addresses (link-time values) of the local data symbols among `names` that the full
    /// symbol table (.symtab) lists after the FILE symbol `sourceFile`, up to the next FILE
    /// symbol: the static variables of one source file, told apart from same-named ones of others.
    public func staticVariables(of sourceFile: String, among names: Set<String>) -> [String: UInt64] {
        var found: [String: UInt64] = [:]
        forEachSection { section, header in
            guard header.sh_type == SHT_SYMTAB, header.sh_entsize > 0,
                  let data = elf_getdata(section, nil) else { return }
            var inFile = false
            for index in 0..<Int(header.sh_size / header.sh_entsize) {
                var symbol = GElf_Sym()
                guard gelf_getsym(data, Int32(index), &symbol) != nil,
                      let name = elf_strptr(elf, Int(header.sh_link), Int(symbol.st_name)) else { continue }
                let type = Int32(symbol.st_info & 0xf)
                if type == STT_FILE {
                    inFile = String(cString: name) == sourceFile
                } else if inFile, type == STT_OBJECT, symbol.st_shndx != SHN_UNDEF {
                    let text = String(cString: name)
                    if names.contains(text) { found[text] = symbol.st_value }
                }
            }
        }
        return found
    }

    /// The lowest virtual address of a loadable segment (PT_LOAD): where the file's first
    /// mapping lands before the load bias is added.
    public var lowestLoadAddress: UInt64? {
        var count = 0
        guard elf_getphdrnum(elf, &count) == 0 else { return nil }
        var lowest: UInt64?
        for index in 0..<count {
            var header = GElf_Phdr()
            guard gelf_getphdr(elf, Int32(index), &header) != nil, header.p_type == PT_LOAD else { continue }
            let start = header.p_vaddr & ~(header.p_align > 0 ? header.p_align - 1 : 0)
            lowest = min(lowest ?? start, start)
        }
        return lowest
    }

    /// The bytes of the first section called `name`, or nil.
    public func sectionContents(named name: String) -> UnsafeRawBufferPointer? {
        var stringsIndex = 0
        guard elf_getshdrstrndx(elf, &stringsIndex) == 0 else { return nil }
        var result: UnsafeRawBufferPointer?
        forEachSection { _, header in
            guard result == nil, header.sh_type != SHT_NOBITS,
                  let sectionName = elf_strptr(elf, stringsIndex, Int(header.sh_name)),
                  String(cString: sectionName) == name,
                  header.sh_offset + header.sh_size <= UInt64(mapping.count) else { return }
            result = UnsafeRawBufferPointer(rebasing: mapping[Int(header.sh_offset)..<Int(header.sh_offset + header.sh_size)])
        }
        return result
    }

    private func forEachSection(_ body: (OpaquePointer, GElf_Shdr) -> Void) {
        var section = elf_nextscn(elf, nil)
        while let current = section {
            var header = GElf_Shdr()
            if gelf_getshdr(current, &header) != nil { body(current, header) }
            section = elf_nextscn(elf, current)
        }
    }
}
