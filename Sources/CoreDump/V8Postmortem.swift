/// The `v8dbg_*` postmortem constants and the V8 version that the node binary (or
/// libnode) in a core exports, read from the core's memory.
struct V8Postmortem {
    var constants: [String: Int64]
    /// "major.minor.build.patch", when the version symbols are there.
    var version: String?

    static func isNodeModule(_ path: String) -> Bool { path.baseName == "node" || path.baseName.hasPrefix("libnode.so") }

    static func read(session: CoreSession, memory: CoreMemory) -> V8Postmortem {
        let versionNames = ["major_", "minor_", "build_", "patch_"].map { "_ZN2v88internal7Version6\($0)E" }
        let addresses = session.symbolAddresses(inModule: isNodeModule, names: Set(versionNames), prefixes: ["v8dbg_"])
        var constants: [String: Int64] = [:]
        for (name, address) in addresses where name.hasPrefix("v8dbg_") {
            if let value = memory.readU32(address) { constants[name] = Int64(Int32(bitPattern: value)) }
        }
        let versionParts = versionNames.compactMap { addresses[$0].flatMap { memory.readU32($0) }.map { String(Int32(bitPattern: $0)) } }
        return V8Postmortem(constants: constants, version: versionParts.count == 4 ? versionParts.joined(separator: ".") : nil)
    }
}
