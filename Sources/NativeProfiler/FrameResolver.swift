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

    /// Reports the modules of `pid`; call it while the process is alive (before sampling),
    /// so that a target exiting mid-capture can still be symbolized. A process diag may not
    /// trace fails here already, with the reason and the fix.
    public init(target: TargetProcess) throws {
        pid = target.pid
        ownerUID = target.status.realUID
        if let refusal = PtraceDiagnosis.reasonForRefusal(pid: target.pid) { throw refusal }
        do {
            symbolizer = try Symbolizer(pid: target.pid)
        } catch {
            throw DiagError(.failure, "\(error)")
        }
    }

    /// The frames at `address`, innermost first (inlined calls, then their container).
    public func frames(at address: UInt64, isReturnAddress: Bool) -> [SymbolicFrame] {
        var frames = symbolizer.frames(at: address, isReturnAddress: isReturnAddress)
        if frames.count == 1, frames[0].module == nil, let entry = jitEntry(at: address) {
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

    private func jitEntry(at address: UInt64) -> PerfMap.Entry? {
        if perfMap == nil { perfMap = .some(PerfMap.load(pid: pid, ownerUID: ownerUID)) }
        return perfMap??.entry(containing: address)
    }
}
