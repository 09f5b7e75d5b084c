import CLibdw

/// Finds the DWARF compile unit and source line of an address. libdwfl looks units up
/// through `.debug_aranges`, which clang (hence Swift, and C built by clang) does not emit;
/// when that finds nothing in a module without any `.debug_aranges`, the units are scanned
/// for one whose ranges hold the address. One per symbolizer (it remembers which modules
/// need the scan).
final class CompileUnitLookup {
    private var needsScan: [OpaquePointer: Bool] = [:]

    /// A compile unit's DIE and the module's address bias.
    struct Unit {
        var die: Dwarf_Die
        var bias: Dwarf_Addr
    }

    func unit(containing address: UInt64, in module: OpaquePointer) -> Unit? {
        var bias: Dwarf_Addr = 0
        if let die = dwfl_module_addrdie(module, address, &bias) { return Unit(die: die.pointee, bias: bias) }
        guard let dwarf = dwfl_module_getdwarf(module, &bias), needsScan(module, dwarf) else { return nil }
        var unit: OpaquePointer?
        var next: OpaquePointer?
        var die = Dwarf_Die()
        while dwarf_get_units(dwarf, unit, &next, nil, nil, &die, nil) == 0 {
            if dwarf_haspc(&die, address - bias) == 1 { return Unit(die: die, bias: bias) }
            unit = next
        }
        return nil
    }

    /// The source file and 1-based line of `address`, when the module has line information.
    func sourcePosition(of address: UInt64, in module: OpaquePointer) -> (file: String, line: Int?)? {
        if let line = dwfl_module_getsrc(module, address) {
            var lineNumber: Int32 = 0
            guard let file = dwfl_lineinfo(line, nil, &lineNumber, nil, nil, nil) else { return nil }
            return (String(cString: file), lineNumber > 0 ? Int(lineNumber) : nil)
        }
        guard var unit = unit(containing: address, in: module),
              let found = dwarf_getsrc_die(&unit.die, address - unit.bias) else { return nil }
        return CompileUnitLookup.position(of: found)
    }

    /// True when the module has DWARF but no address ranges table (clang's default).
    private func needsScan(_ module: OpaquePointer, _ dwarf: OpaquePointer) -> Bool {
        if let known = needsScan[module] { return known }
        var ranges: OpaquePointer?
        var count = 0
        let result = dwarf_getaranges(dwarf, &ranges, &count) != 0 || count == 0
        needsScan[module] = result
        return result
    }

    private static func position(of line: OpaquePointer) -> (file: String, line: Int?)? {
        guard let file = dwarf_linesrc(line, nil, nil) else { return nil }
        var number: Int32 = 0
        _ = dwarf_lineno(line, &number)
        return (String(cString: file), number > 0 ? Int(number) : nil)
    }
}
