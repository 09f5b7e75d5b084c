import CLibdw

/// Finds the DWARF compile unit and source line of an address. libdwfl looks units up
/// through `.debug_aranges`, which clang (hence Swift, and C built by clang) does not emit;
/// when that finds nothing in a module without any `.debug_aranges`, diag builds the same
/// index itself, once per module, from the units' own address ranges. One per symbolizer.
final class CompileUnitLookup {
    /// Address ranges of a module's units, sorted by start, for modules without aranges
    /// (nil: the module has them, libdwfl's lookup is enough).
    private var rangeIndex: [OpaquePointer: [UnitRange]?] = [:]

    private struct UnitRange {
        let start: Dwarf_Addr
        let end: Dwarf_Addr
        let die: Dwarf_Die
    }

    /// A compile unit's DIE and the module's address bias.
    struct Unit {
        var die: Dwarf_Die
        var bias: Dwarf_Addr
    }

    func unit(containing address: UInt64, in module: OpaquePointer) -> Unit? {
        var bias: Dwarf_Addr = 0
        if let die = dwfl_module_addrdie(module, address, &bias) { return Unit(die: die.pointee, bias: bias) }
        guard let dwarf = dwfl_module_getdwarf(module, &bias), let ranges = index(module, dwarf) else { return nil }
        let target = address - bias
        // The last range starting at or before the address; ranges of different units do not overlap.
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].start <= target { low = middle + 1 } else { high = middle }
        }
        guard low > 0, target < ranges[low - 1].end else { return nil }
        return Unit(die: ranges[low - 1].die, bias: bias)
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

    /// The unit ranges of a module that has DWARF but no `.debug_aranges` (clang's
    /// default), built on first use; nil for a module that has them.
    private func index(_ module: OpaquePointer, _ dwarf: OpaquePointer) -> [UnitRange]? {
        if let known = rangeIndex[module] { return known }
        var aranges: OpaquePointer?
        var arangeCount = 0
        guard dwarf_getaranges(dwarf, &aranges, &arangeCount) != 0 || arangeCount == 0 else {
            rangeIndex[module] = .some(nil)
            return nil
        }
        var ranges: [UnitRange] = []
        var unit: OpaquePointer?
        var next: OpaquePointer?
        var die = Dwarf_Die()
        while dwarf_get_units(dwarf, unit, &next, nil, nil, &die, nil) == 0 {
            var offset: Int = 0
            var base: Dwarf_Addr = 0
            var start: Dwarf_Addr = 0
            var end: Dwarf_Addr = 0
            repeat {
                offset = dwarf_ranges(&die, offset, &base, &start, &end)
                if offset > 0 && end > start { ranges.append(UnitRange(start: start, end: end, die: die)) }
            } while offset > 0
            unit = next
        }
        ranges.sort { $0.start < $1.start }
        rangeIndex[module] = .some(ranges)
        return ranges
    }

    private static func position(of line: OpaquePointer) -> (file: String, line: Int?)? {
        guard let file = dwarf_linesrc(line, nil, nil) else { return nil }
        var number: Int32 = 0
        _ = dwarf_lineno(line, &number)
        return (String(cString: file), number > 0 ? Int(number) : nil)
    }
}
