import CoreDump
import DiagSupport
import NativeProfiler
import Profiles
import Symbols
import TargetProcess

extension CPU {
    /// `--mixed`: native sampling of a Node.js process with its JavaScript frames named from
    /// V8's heap (LiveV8Frames), written in the format asked for like any native profile.
    func runMixedProfile(_ target: TargetProcess, format: ProfileFormat) throws {
        guard RuntimeDetector.detect(target).isNode else {
            throw DiagError(.unsupportedTarget, "process \(target.pid) (\(target.name)) is not a Node.js process",
                            hint: "--mixed names V8's JavaScript frames; drop it to sample native stacks")
        }
        try runNativeProfile(target, format: format) { target in
            let symbolizer: Symbolizer
            do {
                symbolizer = try Symbolizer(pid: target.pid)
            } catch {
                throw DiagError(.failure, "\(error)")
            }
            let names = try LiveV8Frames(pid: target.pid, symbolizer: symbolizer)
            return MixedStackRewriter(pid: target.pid, naming: names)
        }
    }
}
