/// A module (executable or shared library) that libdwfl reported for a process or core.
public struct ModuleInfo: Sendable, Hashable, Codable {
    /// The path as mapped (for a core: as recorded in the core's file notes).
    public var path: String
    public var start: UInt64
    public var end: UInt64
    /// The GNU build-id as lowercase hex, or nil when the module has none.
    public var buildID: String?
    /// The ELF file libdwfl found for the module, or nil when it was not found.
    public var elfPath: String?
    /// The separate debug file, when debug information came from one.
    public var debugPath: String?
    /// True when a full symbol table (.symtab) was found, not only exported symbols.
    public var hasSymbolTable: Bool
    /// True when DWARF debug information (source lines, inline frames) was found.
    public var hasDebugInfo: Bool
}
