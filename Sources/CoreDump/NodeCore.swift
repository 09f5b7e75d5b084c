import DiagSupport

/// A core of a Node.js process opened to read its V8 heap: the mapped file, its memory, the
/// postmortem constants, and the heap walker over the pages found in it. A core of another
/// program, or of a node whose constants lack what the walk needs, is refused with exit 4.
final class NodeCore {
    let file: MappedFile
    let memory: CoreMemory
    let postmortem: V8Postmortem
    let heap: V8Heap
    let pages: V8HeapPages.Found
    let walker: V8HeapWalker

    /// The constants the census and the object printer use beyond the heap reader's and the sizes'.
    static let required = [
        "v8dbg_class_Map__constructor_or_back_pointer__Object", "v8dbg_class_Map__instance_descriptors__DescriptorArray",
        "v8dbg_class_Map__bit_field3__int", "v8dbg_bit_field3_is_dictionary_map_shift", "v8dbg_class_JSReceiver__raw_properties_or_hash__Object",
        "v8dbg_class_JSObject__elements__Object",
        "v8dbg_type_JSFunction__JS_FUNCTION_TYPE", "v8dbg_type_JSAtomicsCondition__JS_ATOMICS_CONDITION_TYPE",
        "v8dbg_type_JSProxy__JS_PROXY_TYPE", "v8dbg_type_JSRegExp__JS_REG_EXP_TYPE", "v8dbg_type_Map__MAP_TYPE",
        "v8dbg_type_Symbol__SYMBOL_TYPE", "v8dbg_type_HeapNumber__HEAP_NUMBER_TYPE", "v8dbg_type_JSArray__JS_ARRAY_TYPE",
        "v8dbg_type_JSObject__JS_OBJECT_TYPE", "v8dbg_ConsStringTag", "v8dbg_SlicedStringTag",
    ]

    /// Every constant the census and the object printer use: the heap reader's, the sizes' and their own.
    static let allRequired = V8Heap.required + V8ObjectSizes.required + NodeCore.required

    init(path: String) throws {
        file = try MappedFile(path: path)
        let layout = try CoreLayout(parsing: file.view, path: path)
        let notes = CoreNotes(file: file.view, layout: layout)
        memory = CoreMemory(file: file.view, layout: layout, fileMappings: notes.fileMappings)
        guard notes.fileMappings.contains(where: { V8Postmortem.isNodeModule($0.filePath) }) else {
            let program = notes.processInfo?.name ?? notes.fileMappings.first?.filePath.baseName ?? "an unknown program"
            throw DiagError(.unsupportedTarget, "\(path) is not a core of a Node.js process (it is of \(program)): there is no V8 heap to read")
        }
        let session = try CoreSession(descriptor: file.descriptor, executable: nil)
        postmortem = V8Postmortem(symbols: session.symbolizer, memory: memory)
        try postmortem.require(NodeCore.allRequired, of: path, consequence: "its heap cannot be walked")
        let constants = postmortem.constants
        guard let sizes = V8ObjectSizes(constants: constants) else { throw DiagError(.unsupportedTarget, "V8 object sizes unavailable") }
        heap = V8Heap(memory: memory, constants: constants)
        pages = V8HeapPages.find(memory: memory)
        guard !pages.pages.isEmpty, let walker = V8HeapWalker(memory: memory, pages: pages.pages, sizes: sizes, constants: constants) else {
            throw DiagError(.failure, "no V8 heap pages found in \(path) (is the core complete? a core size limit cuts off the heap)")
        }
        self.walker = walker
    }
}
