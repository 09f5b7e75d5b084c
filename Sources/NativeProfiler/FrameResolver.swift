import DiagSupport
import Symbols
import TargetProcess

/// Turns the sampled addresses of one process into frames: libdw gives function names,
/// source lines and inline frames; code outside every module (JIT code) is named from
/// `/tmp/perf-PID.map` when the process publishes one; anything else shows as
/// `module+0xOFFSET` or its bare address. Results are cached per address by the symbolizer.
public final class FrameResolver {
    public let pid: Int32
    private let symbolizer: Symbolizer
    private let ownerUID: UInt32
    private var perfMap: PerfMap??
    /// The target's mappings, to tell code in files from anonymous (JIT) code: libdwfl
    /// reports a module as one range from its first to its last mapping, and JIT code that
    /// lies in between would otherwise be named after that module.
    private var mappings: [MemoryMapping]
    private var mappingsReloaded = false
    /// V8's builtins when V8 runs a remapped copy of them (`--mixed`): addresses in the copy
    /// are symbolized at the linked address, where node's symbol table names them.
    public var embeddedBuiltins: EmbeddedBuiltins?

    /// Reports the modules of `pid`; call it while the process is alive (before sampling),
    /// so that a target exiting mid-capture can still be symbolized. A process whose memory diag
    /// may not read fails here already, with the reason and the fix (another tracer is left to
    /// the ptrace sampler to report: perf_event sampling does not need to attach).
    public init(target: TargetProcess) throws {
        pid = target.pid
        ownerUID = target.status.realUID
        if let refusal = PtraceDiagnosis.reasonForRefusal(pid: target.pid, ignoringTracer: true) { throw refusal }
        mappings = MemoryMapping.read(pid: target.pid)
        do {
            symbolizer = try Symbolizer(pid: target.pid)
        } catch {
            throw DiagError(.failure, "\(error)")
        }
    }

    /// The frames at `address`, innermost first (inlined calls, then their container).
    public func frames(at address: UInt64, isReturnAddress: Bool) -> [SymbolicFrame] {
        if let linked = embeddedBuiltins?.linkedAddress(address), linked != address {
            return symbolizer.frames(at: linked, isReturnAddress: isReturnAddress).map { frame in
                var frame = frame
                frame.address = address
                return frame
            }
        }
        let lookup = isReturnAddress && address > 0 ? address - 1 : address
        var frames = symbolizer.frames(at: address, isReturnAddress: isReturnAddress)
        if let module = frames.first?.module, !isMapped(lookup, from: module) {
            frames = [SymbolicFrame(address: address)]
        }
        if frames.count == 1, frames[0].module == nil, let entry = jitEntry(at: lookup) {
            frames[0].function = entry.name
            frames[0].module = "[JIT] /tmp/perf-\(pid).map"
            frames[0].moduleOffset = address - entry.start
        }
        return frames
    }

    /// Module details for `address` (path, build-id), or nil.
    public func module(at address: UInt64) -> ModuleInfo? {
        symbolizer.moduleInfo(at: address)
    }

    /// The file offset of the mapping that holds `address` (0 when none does).
    public func fileOffset(at address: UInt64) -> UInt64 {
        mapping(containing: address)?.offset ?? 0
    }

    /// True when `address` lies in a mapping of the file `module` (or when the maps cannot
    /// be read: then libdwfl decides).
    private func isMapped(_ address: UInt64, from module: String) -> Bool {
        var found = mapping(containing: address)
        if found == nil && !mappingsReloaded {
            // Mapped after the capture started (dlopen, new JIT pages): read the maps again once.
            mappingsReloaded = true
            let fresh = MemoryMapping.read(pid: pid)
            if !fresh.isEmpty { mappings = fresh }
            found = mapping(containing: address)
        }
        guard let found else { return mappings.isEmpty }
        return found.path == module || found.path == module + " (deleted)"
    }

    private func mapping(containing address: UInt64) -> MemoryMapping? {
        mappings.mapping(containing: address)
    }

    private func jitEntry(at address: UInt64) -> PerfMap.Entry? {
        if perfMap == nil { perfMap = .some(PerfMap.load(pid: pid, ownerUID: ownerUID)) }
        return perfMap??.entry(containing: address)
    }
}
