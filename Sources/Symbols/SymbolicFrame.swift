/// One frame of a stack as a person reads it: function, source position and module. An
/// address inside a function that the compiler inlined gives several frames, innermost
/// first, each inlined one marked `isInline`.
public struct SymbolicFrame: Sendable, Hashable, Codable {
    /// The instruction address the frame was resolved from.
    public var address: UInt64
    /// The demangled function name, or nil when no symbol covers the address.
    public var function: String?
    /// The source file and 1-based line, from DWARF; nil when there is no line information.
    public var file: String?
    public var line: Int?
    /// The module (executable or shared library) path, or nil for unmapped addresses.
    public var module: String?
    /// The address relative to the module's load address, as `module+0xOFFSET` shows it.
    public var moduleOffset: UInt64?
    /// True for a frame that the compiler inlined into the frame after it.
    public var isInline: Bool
    /// The 1-based line where the function is declared (DW_AT_decl_line), when known.
    public var functionLine: Int?

    public init(address: UInt64, function: String? = nil, file: String? = nil, line: Int? = nil,
                module: String? = nil, moduleOffset: UInt64? = nil, isInline: Bool = false, functionLine: Int? = nil) {
        self.address = address
        self.function = function
        self.file = file
        self.line = line
        self.module = module
        self.moduleOffset = moduleOffset
        self.isInline = isInline
        self.functionLine = functionLine
    }

    /// The function name, or `module+0xOFFSET`, or the bare address: never empty.
    public var displayName: String {
        SymbolicFrame.displayName(function: function, module: module, moduleOffset: moduleOffset, address: address)
    }

    /// The name diag shows for any frame: the function, else `module+0xOFFSET` (the module's
    /// file name), else `0xADDRESS`.
    public static func displayName(function: String?, module: String?, moduleOffset: UInt64?, address: UInt64) -> String {
        if let function, !function.isEmpty { return function }
        if let module, let moduleOffset {
            let base = module.split(separator: "/").last.map(String.init) ?? module
            return "\(base)+0x\(String(moduleOffset, radix: 16))"
        }
        return "0x\(String(address, radix: 16))"
    }

    /// `file:line` when known.
    public var sourceLocation: String? {
        guard let file else { return nil }
        guard let line else { return file }
        return "\(file):\(line)"
    }
}
