import DiagSupport
import Symbols

/// The `v8dbg_*` postmortem constants and the V8 version that the node executable (or
/// libnode) exports: found in that module's ELF symbol table, their values read from the
/// memory of a core or of a running process. The one reader of them, for the census and the
/// object printer (`NodeCore`), the JavaScript frames of a core (`V8FrameWalker`) and
/// `diag cpu --mixed` (`LiveV8Frames`).
struct V8Postmortem {
    var constants: [String: Int64]
    /// "major.minor.build.patch", when the version symbols are there.
    var version: String?
    /// The addresses of the other symbols of the module asked for with `alsoLocating`.
    var otherSymbols: [String: UInt64] = [:]

    /// True for the module that holds V8: the node executable or libnode.
    static func isNodeModule(_ path: String) -> Bool { path.baseName == "node" || path.baseName.hasPrefix("libnode.so") }

    /// The symbols of V8's version numbers, major to patch.
    static let versionSymbols = ["major_", "minor_", "build_", "patch_"].map { "_ZN2v88internal7Version6\($0)E" }

    init(constants: [String: Int64], version: String?) {
        self.constants = constants
        self.version = version
    }

    /// Reads the constants and the version through `symbols` (a libdwfl session of the core
    /// or the process) from `memory`; the addresses of the symbols named in `alsoLocating`
    /// are kept in `otherSymbols`.
    init(symbols: Symbolizer, memory: any V8MemoryReading, alsoLocating names: [String] = []) {
        let addresses = symbols.symbolAddresses(inModule: V8Postmortem.isNodeModule,
                                                names: Set(V8Postmortem.versionSymbols + names), prefixes: ["v8dbg_"])
        var constants: [String: Int64] = [:]
        for (name, address) in addresses where name.hasPrefix("v8dbg_") {
            if let value = memory.readU32(address) { constants[name] = Int64(Int32(bitPattern: value)) }
        }
        let versionParts = V8Postmortem.versionSymbols.compactMap {
            addresses[$0].flatMap { memory.readU32($0) }.map { String(Int32(bitPattern: $0)) }
        }
        self.init(constants: constants, version: versionParts.count == 4 ? versionParts.joined(separator: ".") : nil)
        otherSymbols = addresses.filter { names.contains($0.key) }
    }

    /// The names in `required` that node does not export, in their order.
    func missing(_ required: [String]) -> [String] { required.filter { constants[$0] == nil } }

    /// Refuses (exit 4) a node that exports no constants, or lacks any of `required` (each
    /// named). `target` names what was read ("x.core", "process 12"); `consequence` says
    /// what cannot be done without them.
    func require(_ required: [String], of target: String, consequence: String) throws {
        guard !constants.isEmpty else {
            throw DiagError(.unsupportedTarget, "\(target) holds no node executable or libnode exporting V8's v8dbg_ postmortem constants: "
                                + consequence, hint: "node builds with V8 postmortem support (the default on Linux) export them")
        }
        let absent = missing(required)
        guard absent.isEmpty else {
            throw DiagError(.unsupportedTarget, "the node in \(target) (V8 \(version ?? "of unknown version")) lacks the postmortem constants "
                                + absent.joined(separator: ", ") + ": " + consequence)
        }
    }
}
