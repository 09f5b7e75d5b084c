/// Recovers the JavaScript frames of a Node.js thread from its core: it follows the frame
/// pointer chain (V8 keeps frame pointers) from the thread's rbp, or, when the innermost
/// frames are in code without frame pointers (libc's abort), from the rbp libdwfl recovered
/// for an outer frame, and, in each frame, reads
/// the slot where V8 keeps the called JSFunction (`v8dbg_off_fp_function`). A slot that
/// holds a heap object whose SharedFunctionInfo checks out is a JavaScript frame: its
/// function name comes from the SharedFunctionInfo (or its ScopeInfo) and its script name
/// from the Script. Line numbers are not decoded.
enum V8FrameWalker {
    struct Result {
        var frames: [CoreSummary.Frame]
        var facts: CoreSummary.NodeFacts
    }

    static let maximumFrames = 512

    static func walk(session: CoreSession, memory: CoreMemory, thread: ThreadStatus?, unwoundFramePointers: [UInt64]) -> Result {
        let postmortem = V8Postmortem(symbols: session.symbolizer, memory: memory)
        let version = postmortem.version
        let missing = postmortem.missing(V8Heap.required)
        guard missing.isEmpty else {
            return Result(frames: [], facts: .init(v8Version: version, javaScriptFrames: "none",
                                                   note: postmortem.constants.isEmpty ? "node exports no v8dbg_ postmortem symbols"
                                                       : "missing \(missing.prefix(3).joined(separator: ", "))"))
        }
        let heap = V8Heap(memory: memory, constants: postmortem.constants)
        guard let thread, let framePointer = thread.register("rbp"), let instructionPointer = thread.instructionPointer,
              let stack = thread.stackPointer.flatMap({ memory.segment(containing: $0) }) else {
            return Result(frames: [], facts: .init(v8Version: version, javaScriptFrames: "none", note: "no registers for the thread"))
        }
        var frames: [CoreSummary.Frame] = []
        var tried = Set<UInt64>()
        for start in [framePointer] + unwoundFramePointers where frames.isEmpty && tried.insert(start).inserted {
            frames = walkChain(from: start, pc: instructionPointer, stack: stack, heap: heap)
        }
        let unnamed = frames.filter { $0.function == nil }.count
        let completeness = frames.isEmpty ? "none" : unnamed == 0 ? "names" : "partial"
        return Result(frames: frames, facts: .init(
            v8Version: version, javaScriptFrames: completeness,
            note: frames.isEmpty ? "no JavaScript frames on the frame-pointer chain"
                : "function and script names from V8 postmortem data; no line numbers"))
    }

    /// The JavaScript frames on the frame-pointer chain that starts at `framePointer`.
    private static func walkChain(from framePointer: UInt64, pc: UInt64, stack: ProgramSegment, heap: V8Heap) -> [CoreSummary.Frame] {
        var frames: [CoreSummary.Frame] = []
        var fp = framePointer
        var pc = pc
        for _ in 0..<maximumFrames {
            guard stack.contains(fp), let next = heap.memory.readU64(fp), let returnAddress = heap.memory.readU64(fp &+ 8) else { break }
            if let frame = javaScriptFrame(at: fp, pc: pc, heap: heap) { frames.append(frame) }
            guard next > fp else { break }
            fp = next
            pc = returnAddress
        }
        return frames
    }

    private static func javaScriptFrame(at fp: UInt64, pc: UInt64, heap: V8Heap) -> CoreSummary.Frame? {
        // Typed frames (entry, exit, stub) keep a Smi frame-type marker where JavaScript
        // frames keep their context.
        if let contextOffset = heap.frameContextOffset,
           let context = heap.memory.readU64(fp &+ UInt64(bitPattern: contextOffset)), !heap.isHeapObject(context) {
            return nil
        }
        guard let offset = heap.constant("v8dbg_off_fp_function"),
              let function = heap.memory.readU64(fp &+ UInt64(bitPattern: offset)), heap.isHeapObject(function),
              let shared = heap.field(function, heap.constant("v8dbg_class_JSFunction__shared__SharedFunctionInfo")),
              heap.isType(shared, "v8dbg_type_SharedFunctionInfo__SHARED_FUNCTION_INFO_TYPE") else { return nil }
        return CoreSummary.Frame(pc: pc, function: functionName(shared, heap: heap), file: scriptName(shared, heap: heap),
                                 line: nil, module: nil, moduleOffset: nil, isInline: false, isJavaScript: true)
    }

    /// The name (URL or path) of the Script a SharedFunctionInfo belongs to, or nil.
    static func scriptName(_ shared: UInt64, heap: V8Heap) -> String? {
        guard let script = heap.field(shared, heap.constant("v8dbg_class_SharedFunctionInfo__script_or_debug_info__HeapObject")),
              heap.isType(script, "v8dbg_type_Script__SCRIPT_TYPE"),
              let name = heap.field(script, heap.constant("v8dbg_class_Script__name__Object")) else { return nil }
        return heap.string(name)
    }

    /// The name from SharedFunctionInfo.name_or_scope_info: a string, or the function name
    /// slot of the ScopeInfo (the first string after the context locals). Empty names
    /// (anonymous functions) give "(anonymous)".
    static func functionName(_ shared: UInt64, heap: V8Heap) -> String? {
        guard let nameOrScope = heap.field(shared, heap.constant("v8dbg_class_SharedFunctionInfo__name_or_scope_info__Object")) else {
            return nil
        }
        if let name = heap.string(nameOrScope) { return name.isEmpty ? "(anonymous)" : name }
        guard heap.isType(nameOrScope, "v8dbg_type_ScopeInfo__SCOPE_INFO_TYPE") else { return nil }
        return scopeInfoFunctionName(nameOrScope, heap: heap)
    }

    private static func scopeInfoFunctionName(_ scope: UInt64, heap: V8Heap) -> String? {
        let base = heap.constant("v8dbg_scopeinfo_idx_first_vars") ?? 3
        let countIndex = heap.constant("v8dbg_scopeinfo_idx_ncontextlocals") ?? 2
        guard let countWord = heap.field(scope, 8 + countIndex * 8), let locals = heap.smi(countWord),
              locals >= 0, locals < 10_000 else { return nil }
        let first = base + 2 * locals
        for index in first..<(first + 4) {
            guard let slot = heap.field(scope, 8 + index * 8) else { return nil }
            if heap.smi(slot) != nil { continue }
            if let name = heap.string(slot) { return name.isEmpty ? "(anonymous)" : name }
        }
        return nil
    }
}
