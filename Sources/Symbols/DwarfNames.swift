import CLibdw
import Glibc

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

    /// The scopes containing `address` (relative to the module's bias), innermost first.
    static func scopes(containing address: Dwarf_Addr, in compileUnit: UnsafeMutablePointer<Dwarf_Die>) -> [Dwarf_Die] {
        var scopes: UnsafeMutablePointer<Dwarf_Die>?
        let count = Int(dwarf_getscopes(compileUnit, address, &scopes))
        guard count > 0, let scopes else { return [] }
        defer { free(scopes) }
        return Array(UnsafeBufferPointer(start: scopes, count: count))
    }

    /// `die` and the DIEs containing it in the concrete tree, innermost first.
    static func parents(of die: UnsafeMutablePointer<Dwarf_Die>) -> [Dwarf_Die] {
        var scopes: UnsafeMutablePointer<Dwarf_Die>?
        let count = Int(dwarf_getscopes_die(die, &scopes))
        guard count > 0, let scopes else { return [] }
        defer { free(scopes) }
        return Array(UnsafeBufferPointer(start: scopes, count: count))
    }

    /// The 1-based line where a subprogram or inlined subroutine's function is declared.
    static func declarationLine(of die: UnsafeMutablePointer<Dwarf_Die>) -> Int? {
        var line: Int32 = 0
        guard dwarf_decl_line(die, &line) == 0, line > 0 else { return nil }
        return Int(line)
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
