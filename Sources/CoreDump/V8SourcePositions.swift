/// Where JavaScript functions start, from V8's heap: the source position of a compiled
/// function is the first of the two Smis of its ScopeInfo's position info (start, end),
/// which follows the context locals' names and infos and the optional class-variable,
/// function-variable and inferred-name slots; an uncompiled function keeps it in its
/// UncompiledData. Lines come from the Script's line ends, or from its source text.
extension V8Heap {
    /// ScopeInfo's fixed words before the context locals: flags, parameter count, local count.
    private static let scopeInfoHeaderWords: Int64 = 3
    /// From this many context locals on, V8 keeps their names in one hash table slot.
    private static let inlinedLocalNamesLimit: Int64 = 75

    /// The source position (UTF-16 offset into the script) where the function of SharedFunctionInfo `shared` starts.
    func startPosition(ofShared shared: UInt64) -> Int? {
        guard let info = field(shared, constant("v8dbg_class_SharedFunctionInfo__name_or_scope_info__Object")) else { return nil }
        if isType(info, "v8dbg_type_ScopeInfo__SCOPE_INFO_TYPE") { return scopeInfoStart(info) }
        guard let data = field(shared, constant("v8dbg_class_SharedFunctionInfo__function_data__Object")),
              let offset = constant("v8dbg_class_UncompiledData__start_position__int32_t"), let type = instanceType(data),
              uncompiledDataTypes.contains(type), let word = memory.readU32(data &- 1 &+ UInt64(bitPattern: offset)) else { return nil }
        let start = Int(Int32(bitPattern: word))
        return start >= 0 ? start : nil
    }

    private var uncompiledDataTypes: Set<Int64> {
        Set(constants.filter { $0.key.hasPrefix("v8dbg_type_UncompiledData") }.values)
    }

    /// The start of the position info: the first two consecutive Smis `start < end` after the
    /// context locals (the optional slots before it hold a string, undefined, or a Smi next
    /// to a string).
    private func scopeInfoStart(_ scope: UInt64) -> Int? {
        let header = V8Heap.scopeInfoHeaderWords
        guard let countWord = field(scope, 8 + (header - 1) * 8), let locals = smi(countWord), locals >= 0, locals < 100_000 else {
            return nil
        }
        let first = header + (locals < V8Heap.inlinedLocalNamesLimit ? 2 * locals : 1 + locals)
        var previous: Int64?
        for index in first..<(first + 7) {
            guard let word = field(scope, 8 + index * 8) else { return nil }
            let value = smi(word)
            if let start = previous, let end = value, start >= 0, start < end { return Int(start) }
            previous = value
        }
        return nil
    }

    /// The 1-based line of source position `position`, given the script's line ends.
    static func line(ofPosition position: Int, lineEnds ends: [Int]) -> Int? {
        var low = 0
        var high = ends.count
        while low < high {
            let middle = (low + high) / 2
            if ends[middle] < position { low = middle + 1 } else { high = middle }
        }
        return position >= 0 && low < ends.count ? low + 1 : nil
    }

    /// The positions of the script's line ends: V8's own array when it computed one, else
    /// counted in the source text.
    func lineEnds(_ script: UInt64) -> [Int]? {
        if let array = field(script, constant("v8dbg_class_Script__line_ends__Object")),
           isType(array, "v8dbg_type_FixedArray__FIXED_ARRAY_TYPE"),
           let lengthWord = field(array, constant("v8dbg_class_FixedArrayBase__length__SMI")), let length = smi(lengthWord),
           length >= 0, length < 10_000_000, let data = constant("v8dbg_class_FixedArray__data__uintptr_t"),
           let bytes = memory.read(array &- 1 &+ UInt64(bitPattern: data), count: Int(length) * 8) {
            var ends: [Int] = []
            ends.reserveCapacity(Int(length))
            for index in 0..<Int(length) {
                let word = bytes[index * 8..<index * 8 + 8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
                guard let end = smi(word) else { return nil }
                ends.append(Int(end))
            }
            return ends
        }
        guard let sourceObject = field(script, constant("v8dbg_class_Script__source__Object")),
              let source = string(sourceObject) else { return nil }
        var ends: [Int] = []
        for (offset, unit) in source.utf16.enumerated() where unit == 0x0A { ends.append(offset) }
        ends.append(source.utf16.count)
        return ends
    }
}
