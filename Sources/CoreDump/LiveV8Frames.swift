import DiagSupport
import NativeProfiler
import Symbols
import TargetProcess

/// Names the JavaScript frames of a running Node.js process for `diag cpu --mixed`: the
/// reads that name V8 frames in a core (`V8Heap`, the `v8dbg_*` postmortem constants node
/// exports), made against live memory right after each sample. A frame whose context slot
/// holds a Smi is a typed frame (entry, exit, stub); otherwise its function slot
/// (`v8dbg_off_fp_function`) holds a JSFunction, whose SharedFunctionInfo gives the name and
/// the script. Names are cached per SharedFunctionInfo address and used only while the
/// object there still has the same map, name and script fields (the GC moves objects).
public final class LiveV8Frames: JavaScriptFrameNaming {
    public let embeddedBuiltins: EmbeddedBuiltins?
    /// V8's version (major.minor.build.patch), when node exports it.
    public let v8Version: String?
    private let heap: V8Heap
    private let functionSlot: UInt64
    private let contextSlot: UInt64
    private var cache: [UInt64: CachedName] = [:]
    /// Line ends per Script address, with the Script's first words (map, source, name) when read.
    private var scriptLines: [UInt64: (header: [UInt8], ends: [Int])] = [:]

    private struct CachedName {
        /// The SharedFunctionInfo's first words when it was named.
        var header: [UInt8]
        var function: JavaScriptFunction
    }

    /// How many SharedFunctionInfo words validate a cached name: map to script_or_debug_info.
    private let headerBytes: Int
    static let cacheLimit = 100_000

    /// Reads the postmortem constants of process `pid` (with `symbolizer`, a libdwfl session of
    /// it). Throws (exit 4) when the process holds no V8 or its node lacks constants diag needs.
    public init(pid: Int32, symbolizer: Symbolizer) throws {
        let memory = ProcessMemory(pid: pid)
        let postmortem = V8Postmortem(symbols: symbolizer, memory: memory,
                                      alsoLocating: ["v8_Default_embedded_blob_code_", "v8_Default_embedded_blob_code_size_"])
        try postmortem.require(V8Heap.required + [V8Heap.frameContextConstant(in: postmortem.constants)], of: "process \(pid)",
                               consequence: "--mixed cannot name its JavaScript frames")
        let heap = V8Heap(memory: memory, constants: postmortem.constants)
        guard let functionSlot = heap.constant("v8dbg_off_fp_function"), let contextSlot = heap.frameContextOffset,
              let scriptField = heap.constant("v8dbg_class_SharedFunctionInfo__script_or_debug_info__HeapObject") else {
            throw DiagError(.failure, "V8 frame offsets unavailable")
        }
        self.heap = heap
        self.functionSlot = UInt64(bitPattern: functionSlot)
        self.contextSlot = UInt64(bitPattern: contextSlot)
        headerBytes = Int(scriptField) + 8
        v8Version = postmortem.version
        embeddedBuiltins = LiveV8Frames.builtins(postmortem.otherSymbols, memory: memory, pid: pid)
    }

    /// Where the embedded builtins are linked and where V8 runs them: V8 may remap the blob
    /// next to its JIT code (short builtin calls), a second mapping of the same file pages.
    private static func builtins(_ addresses: [String: UInt64], memory: ProcessMemory, pid: Int32) -> EmbeddedBuiltins? {
        guard let linked = addresses["v8_Default_embedded_blob_code_"],
              let size = addresses["v8_Default_embedded_blob_code_size_"].flatMap({ memory.readU32($0) }), size > 0 else { return nil }
        let mappings = MemoryMapping.read(pid: pid)
        guard let home = mappings.first(where: { $0.start <= linked && linked < $0.end && $0.isFileBacked }) else {
            return EmbeddedBuiltins(linkedStart: linked, runningStart: linked, size: UInt64(size))
        }
        let fileOffset = linked - home.start + home.offset
        let copy = mappings.first { mapping in
            mapping.path == home.path && mapping.inode == home.inode && mapping.start != home.start && mapping.isExecutable
                && mapping.offset <= fileOffset && fileOffset - mapping.offset < mapping.end - mapping.start
        }
        let running = copy.map { $0.start + (fileOffset - $0.offset) } ?? linked
        return EmbeddedBuiltins(linkedStart: linked, runningStart: running, size: UInt64(size))
    }

    /// The 1-based line where the function of `shared` starts, or nil.
    private func line(of shared: UInt64) -> Int? {
        guard let position = heap.startPosition(ofShared: shared),
              let script = heap.field(shared, heap.constant("v8dbg_class_SharedFunctionInfo__script_or_debug_info__HeapObject")),
              heap.isType(script, "v8dbg_type_Script__SCRIPT_TYPE"), let header = heap.memory.read(script &- 1, count: 24) else { return nil }
        if let cached = scriptLines[script], cached.header == header {
            return V8Heap.line(ofPosition: position, lineEnds: cached.ends)
        }
        guard let ends = heap.lineEnds(script) else { return nil }
        if scriptLines.count >= LiveV8Frames.cacheLimit { scriptLines.removeAll(keepingCapacity: true) }
        scriptLines[script] = (header, ends)
        return V8Heap.line(ofPosition: position, lineEnds: ends)
    }

    /// A script name as DevTools shows it: a CommonJS module's absolute path as a file URL.
    static func url(_ scriptName: String) -> String {
        scriptName.hasPrefix("/") ? "file://" + scriptName : scriptName
    }

    public func frame(at framePointer: UInt64, stackWord: (UInt64) -> UInt64?) -> JavaScriptFrameKind {
        guard let context = stackWord(framePointer &+ contextSlot), heap.isHeapObject(context) else { return .typed }
        guard let function = stackWord(framePointer &+ functionSlot), heap.isHeapObject(function),
              let shared = heap.field(function, heap.constant("v8dbg_class_JSFunction__shared__SharedFunctionInfo")),
              heap.isHeapObject(shared), let header = heap.memory.read(shared &- 1, count: headerBytes) else { return .unnamed }
        if let cached = cache[shared], cached.header == header { return .named(cached.function) }
        guard heap.isType(shared, "v8dbg_type_SharedFunctionInfo__SHARED_FUNCTION_INFO_TYPE"),
              let name = V8FrameWalker.functionName(shared, heap: heap) else { return .unnamed }
        let named = JavaScriptFunction(name: name, scriptURL: LiveV8Frames.url(V8FrameWalker.scriptName(shared, heap: heap) ?? ""),
                                       line: line(of: shared))
        if cache.count >= LiveV8Frames.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[shared] = CachedName(header: header, function: named)
        return .named(named)
    }
}
