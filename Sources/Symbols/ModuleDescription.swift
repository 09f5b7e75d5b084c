import CLibdw

extension Symbolizer {
    /// Everything diag reports about a module: path, range, build-id and which debugging
    /// data libdwfl could find for it (this may search /usr/lib/debug and debuglinks).
    static func describe(_ module: OpaquePointer) -> ModuleInfo {
        var start: Dwarf_Addr = 0
        var end: Dwarf_Addr = 0
        var mainFile: UnsafePointer<CChar>?
        var debugFile: UnsafePointer<CChar>?
        let name = dwfl_module_info(module, nil, &start, &end, nil, nil, &mainFile, &debugFile)
        var bias: Dwarf_Addr = 0
        let hasDebugInfo = dwfl_module_getdwarf(module, &bias) != nil
        // Ask again: getdwarf may have found the separate debug file.
        _ = dwfl_module_info(module, nil, nil, nil, nil, nil, &mainFile, &debugFile)
        return ModuleInfo(
            path: name.map { String(cString: $0) } ?? "?",
            start: start,
            end: end,
            buildID: buildID(of: module),
            elfPath: mainFile.map { String(cString: $0) },
            debugPath: debugFile.map { String(cString: $0) },
            hasSymbolTable: hasFullSymbolTable(module),
            hasDebugInfo: hasDebugInfo
        )
    }

    private static func buildID(of module: OpaquePointer) -> String? {
        var bits: UnsafePointer<UInt8>?
        var address: GElf_Addr = 0
        let length = dwfl_module_build_id(module, &bits, &address)
        guard length > 0, let bits else { return nil }
        return (0..<Int(length)).map { byte in
            let text = String(bits[byte], radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }

    /// True when the module's ELF file or its debug file has a .symtab section.
    private static func hasFullSymbolTable(_ module: OpaquePointer) -> Bool {
        var bias: GElf_Addr = 0
        if let elf = dwfl_module_getelf(module, &bias), hasSection(ofType: SHT_SYMTAB, in: elf) { return true }
        var debugBias: Dwarf_Addr = 0
        if let dwarf = dwfl_module_getdwarf(module, &debugBias), let elf = dwarf_getelf(dwarf),
           hasSection(ofType: SHT_SYMTAB, in: elf) { return true }
        return false
    }

    private static func hasSection(ofType type: Int32, in elf: OpaquePointer) -> Bool {
        var section = elf_nextscn(elf, nil)
        while let current = section {
            var header = GElf_Shdr()
            if gelf_getshdr(current, &header) != nil, header.sh_type == UInt32(type) { return true }
            section = elf_nextscn(elf, current)
        }
        return false
    }
}
