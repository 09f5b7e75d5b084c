import CLibdw
import Glibc

/// The modules of a core as `diag core` reports them. Debugging data is loaded only for the
/// modules that have frames (unwinding and symbolizing did that already); for the others
/// the file headers and the /usr/lib/debug/.build-id tree tell what is available, without
/// decompressing anything (loading a library's DWARF costs tens of milliseconds).
enum CoreModules {
    static let debugDirectory = "/usr/lib/debug/.build-id"

    static func describe(session: CoreSession, notes: CoreNotes, executable: String?,
                         modulesWithFrames: Set<String>) -> [CoreSummary.Module] {
        let mainPath = notes.fileMappings.first?.filePath
        return session.moduleHandles().map { handle in
            var start: Dwarf_Addr = 0
            var end: Dwarf_Addr = 0
            let name = dwfl_module_info(handle, nil, &start, &end, nil, nil, nil, nil).map { String(cString: $0) } ?? "?"
            let buildID = recordedBuildID(handle)
            let mapping = notes.fileMappings.first { $0.start <= start && start < $0.end } ?? notes.fileMappings.first { $0.filePath == name }
            var diskPath = mapping?.filePath
            if let executable, diskPath != nil, diskPath == mainPath { diskPath = executable }
            let isMissing = diskPath.map { access($0, R_OK) != 0 } ?? false
            let onDisk = diskPath.flatMap { ElfFileFacts.read($0) }
            let matches: Bool? = buildID.flatMap { recorded in onDisk?.buildID.map { $0 == recorded } }
            let debugPath = buildID.map { "\(debugDirectory)/\($0.prefix(2))/\($0.dropFirst(2)).debug" }
            let separateDebug = debugPath.flatMap { access($0, R_OK) == 0 ? ElfFileFacts.read($0) : nil }

            var hasDebugInfo = onDisk?.hasDebugInfo == true || separateDebug?.hasDebugInfo == true
            if modulesWithFrames.contains(name) {
                var bias: Dwarf_Addr = 0
                hasDebugInfo = dwfl_module_getdwarf(handle, &bias) != nil
            }
            var mainFile: UnsafePointer<CChar>?
            var debugFile: UnsafePointer<CChar>?
            _ = dwfl_module_info(handle, nil, nil, nil, nil, nil, &mainFile, &debugFile)
            let elfFile = mainFile.map { String(cString: $0) } ?? (isMissing || matches == false ? nil : diskPath)
            return CoreSummary.Module(
                path: mapping?.path ?? name, start: start, end: end, buildID: buildID, elfFile: elfFile,
                debugFile: debugFile.map { String(cString: $0) } ?? (separateDebug != nil ? debugPath : nil),
                hasSymbolTable: onDisk?.hasSymbolTable == true || separateDebug?.hasSymbolTable == true,
                hasDebugInfo: hasDebugInfo, isDeleted: mapping?.isDeleted == true || name.hasSuffix(" (deleted)"),
                isFileMissing: isMissing, buildIDMatches: matches)
        }.sorted { $0.start < $1.start }
    }

    /// The build-id libdwfl found in the core's memory for the module.
    private static func recordedBuildID(_ module: OpaquePointer) -> String? {
        var bits: UnsafePointer<UInt8>?
        var address: GElf_Addr = 0
        let length = dwfl_module_build_id(module, &bits, &address)
        guard length > 0, let bits else { return nil }
        return (0..<Int(length)).map { bits[$0] < 16 ? "0" + String(bits[$0], radix: 16) : String(bits[$0], radix: 16) }.joined()
    }
}
