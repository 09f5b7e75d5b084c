/// The class name DevTools' Summary shows for a heap object, from its map, as V8's heap
/// snapshot names it: a JavaScript object's constructor name (`Leak`, `Object`, `Array`),
/// `Function` for closures, `RegExp`, and for the rest `(string)`, `(concatenated string)`,
/// `(sliced string)`, `(symbol)`, `(number)`, `(object shape)` for maps, `system / Context`,
/// `(array)` for fixed arrays, `(compiled code)` for code and its metadata, `(system)`
/// otherwise. Plain objects are not split by property names as DevTools' inferred
/// interfaces (`{a, b}`) do. Names are worked out once per map.
final class V8ClassNames {
    private let heap: V8Heap
    private let walker: V8HeapWalker
    private var names: [UInt64: String] = [:]
    private let types: [String: Int]

    init(heap: V8Heap, walker: V8HeapWalker) {
        self.heap = heap
        self.walker = walker
        var types: [String: Int] = [:]
        for (name, value) in heap.constants where name.hasPrefix("v8dbg_type_") || name.hasPrefix("v8dbg_First") || name.hasPrefix("v8dbg_Last") {
            types[name] = Int(value)
        }
        self.types = types
    }

    private func type(_ name: String) -> Int { types[name] ?? -1 }

    /// The constructor (class) name of objects with this map.
    func name(map: UInt64, type t: Int) -> String {
        if let known = names[map] { return known }
        let name = compute(map: map, type: t)
        names[map] = name
        return name
    }

    private static let codeTypes = [
        "Code__CODE_TYPE", "InstructionStream__INSTRUCTION_STREAM_TYPE", "SharedFunctionInfo__SHARED_FUNCTION_INFO_TYPE",
        "Script__SCRIPT_TYPE", "BytecodeArray__BYTECODE_ARRAY_TYPE", "FeedbackVector__FEEDBACK_VECTOR_TYPE",
        "FeedbackCell__FEEDBACK_CELL_TYPE", "ScopeInfo__SCOPE_INFO_TYPE", "PreparseData__PREPARSE_DATA_TYPE",
        "AllocationSite__ALLOCATION_SITE_TYPE", "ArrayBoilerplateDescription__ARRAY_BOILERPLATE_DESCRIPTION_TYPE",
        "RegExpBoilerplateDescription__REG_EXP_BOILERPLATE_DESCRIPTION_TYPE", "InterpreterData__INTERPRETER_DATA_TYPE",
        "TemplateObjectDescription__TEMPLATE_OBJECT_DESCRIPTION_TYPE",
        "UncompiledDataWithPreparseData__UNCOMPILED_DATA_WITH_PREPARSE_DATA_TYPE",
        "UncompiledDataWithoutPreparseData__UNCOMPILED_DATA_WITHOUT_PREPARSE_DATA_TYPE",
        "UncompiledDataWithPreparseDataAndJob__UNCOMPILED_DATA_WITH_PREPARSE_DATA_AND_JOB_TYPE",
        "UncompiledDataWithoutPreparseDataWithJob__UNCOMPILED_DATA_WITHOUT_PREPARSE_DATA_WITH_JOB_TYPE",
    ].map { "v8dbg_type_" + $0 }

    private func compute(map: UInt64, type t: Int) -> String {
        if t < type("v8dbg_FirstNonstringType") {
            let representation = Int64(t) & (heap.constant("v8dbg_StringRepresentationMask") ?? 7)
            if representation == heap.constant("v8dbg_ConsStringTag") { return "(concatenated string)" }
            if representation == heap.constant("v8dbg_SlicedStringTag") { return "(sliced string)" }
            return "(string)"
        }
        if t == type("v8dbg_type_Symbol__SYMBOL_TYPE") { return "(symbol)" }
        if t == type("v8dbg_type_HeapNumber__HEAP_NUMBER_TYPE") { return "(number)" }
        if t == type("v8dbg_type_Map__MAP_TYPE") { return "(object shape)" }
        if t >= type("v8dbg_type_JSFunction__JS_FUNCTION_TYPE") && t < type("v8dbg_type_JSAtomicsCondition__JS_ATOMICS_CONDITION_TYPE")
            || t == type("v8dbg_type_JSBoundFunction__JS_BOUND_FUNCTION_TYPE") {
            return "Function"
        }
        if t == type("v8dbg_type_JSRegExp__JS_REG_EXP_TYPE") { return "RegExp" }
        if t >= type("v8dbg_type_JSProxy__JS_PROXY_TYPE") {
            // V8 names prototype objects from their prototype chain, never from their map.
            let name = isPrototypeMap(map) ? nil : constructorName(map: map)
            return name ?? (t == type("v8dbg_type_JSArray__JS_ARRAY_TYPE") ? "Array" : "Object")
        }
        if t >= type("v8dbg_FirstContextType") && t <= type("v8dbg_LastContextType") { return "system / Context" }
        if V8ClassNames.codeTypes.contains(where: { types[$0] == t }) { return "(compiled code)" }
        if t >= type("v8dbg_type_FixedArray__FIXED_ARRAY_TYPE") && t <= type("v8dbg_type_FixedDoubleArray__FIXED_DOUBLE_ARRAY_TYPE") {
            return "(array)"
        }
        return "(system)"
    }

    /// Map::Bits3's IsPrototypeMapBit, which sits just below IsDictionaryMapBit.
    private func isPrototypeMap(_ map: UInt64) -> Bool {
        guard let offset = heap.constant("v8dbg_class_Map__bit_field3__int"), let shift = heap.constant("v8dbg_bit_field3_is_dictionary_map_shift"),
              shift > 0, let bits = heap.memory.readU32(map &- 1 &+ UInt64(offset)) else { return false }
        return bits & (1 << UInt32(shift - 1)) != 0
    }

    /// The name of the function the map's constructor slot leads to (through back pointers
    /// of transitioned maps); nil for an anonymous or non-function constructor.
    func constructorName(map: UInt64) -> String? {
        let offset = heap.constant("v8dbg_class_Map__constructor_or_back_pointer__Object")
        var candidate = heap.field(map, offset)
        for _ in 0..<256 {
            guard let value = candidate, heap.isHeapObject(value) else { return nil }
            guard walker.mapFacts(value) != nil else { break }
            candidate = heap.field(value, offset)
        }
        guard let constructor = candidate,
              let shared = heap.field(constructor, heap.constant("v8dbg_class_JSFunction__shared__SharedFunctionInfo")),
              heap.isType(shared, "v8dbg_type_SharedFunctionInfo__SHARED_FUNCTION_INFO_TYPE"),
              let name = V8FrameWalker.functionName(shared, heap: heap), name != "(anonymous)", !name.isEmpty else { return nil }
        return name
    }
}
