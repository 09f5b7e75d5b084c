import CLibdw

/// Reading names and call sites from DWARF debugging entries.
enum DwarfNames {
    /// The demangled linkage name or the plain name of a subprogram or inlined subroutine,
    /// following DW_AT_abstract_origin and DW_AT_specification.
    static func name(of die: UnsafeMutablePointer<Dwarf_Die>) -> String? {
        var attribute = Dwarf_Attribute()
        for code in [DW_AT_linkage_name, DW_AT_MIPS_linkage_name, DW_AT_name] {
            if dwarf_attr_integrate(die, UInt32(code), &attribute) != nil,
               let text = dwarf_formstring(&attribute) {
                return Demangler.demangle(String(cString: text))
            }
        }
        return nil
    }

    /// The source position of the call that an inlined subroutine stands for.
    static func callSite(of die: UnsafeMutablePointer<Dwarf_Die>,
                         compileUnit: UnsafeMutablePointer<Dwarf_Die>) -> (file: String?, line: Int?) {
        var attribute = Dwarf_Attribute()
        var line: Int?
        var value: Dwarf_Word = 0
        if dwarf_attr(die, UInt32(DW_AT_call_line), &attribute) != nil, dwarf_formudata(&attribute, &value) == 0 {
            line = Int(value)
        }
        var file: String?
        if dwarf_attr(die, UInt32(DW_AT_call_file), &attribute) != nil, dwarf_formudata(&attribute, &value) == 0 {
            var files: OpaquePointer?
            var fileCount = 0
            if dwarf_getsrcfiles(compileUnit, &files, &fileCount) == 0, Int(value) < fileCount,
               let name = dwarf_filesrc(files, Int(value), nil, nil) {
                file = String(cString: name)
            }
        }
        return (file, line)
    }
}
