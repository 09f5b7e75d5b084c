import CDwflShim
import CLibdw
import Glibc

/// Resolves instruction addresses of one process or core to `SymbolicFrame`s with elfutils'
/// libdwfl: symbol names (demangled), source lines, inline frames, module and build-id.
/// Results are cached per address, because the same addresses recur in every sample.
/// Not thread-safe: use one per thread.
public final class Symbolizer {
    /// The libdwfl session; the symbolizer owns it and ends it.
    public let session: OpaquePointer
    private var cache: [UInt64: [SymbolicFrame]] = [:]
    private var moduleCache: [OpaquePointer: (path: String, start: UInt64)] = [:]
    private let compileUnits = CompileUnitLookup()
    /// Each module's symbols, sorted once (see `SymbolTable`): libdwfl's own lookup walks the
    /// whole table for every address, which dominated symbolization in modules with large
    /// tables (node's 110,000 symbols, a statically linked Swift runtime).
    private var symbolTables: [OpaquePointer: SymbolTable] = [:]

    /// Reports the modules of live process `pid` from /proc/PID/maps.
    public init(pid: Int32) throws {
        guard let dwfl = diag_dwfl_begin_process(pid) else {
            throw SymbolsError(message: "cannot read the modules of process \(pid): \(Symbolizer.processReportError(pid: pid))")
        }
        session = dwfl
    }

    /// Takes ownership of a libdwfl session that has already reported its modules (for
    /// example one made by `diag_dwfl_begin_core`).
    public init(takingOwnershipOf dwfl: OpaquePointer) {
        session = dwfl
    }

    deinit {
        dwfl_end(session)
    }

    /// The frames for `address`, innermost first: the inlined calls (if any) and then the
    /// function that contains them. Return addresses (every frame but a thread's innermost)
    /// point after the call, so pass `isReturnAddress` to look up the call instruction.
    public func frames(at address: UInt64, isReturnAddress: Bool = false) -> [SymbolicFrame] {
        let lookup = isReturnAddress && address > 0 ? address - 1 : address
        if let cached = cache[lookup] { return cached.map { frame in var copy = frame; copy.address = address; return copy } }
        var result = resolve(lookup)
        for index in result.indices { result[index].address = lookup }
        cache[lookup] = result
        return result.map { frame in var copy = frame; copy.address = address; return copy }
    }

    /// The module containing `address`, or nil.
    public func moduleInfo(at address: UInt64) -> ModuleInfo? {
        guard let module = dwfl_addrmodule(session, address) else { return nil }
        return Symbolizer.describe(module)
    }

    /// Every module of the session, in address order.
    public func modules() -> [ModuleInfo] {
        final class Collector { var modules: [OpaquePointer] = [] }
        let collector = Collector()
        let box = Unmanaged.passUnretained(collector).toOpaque()
        _ = dwfl_getmodules(session, { module, _, _, _, argument in
            let collector = Unmanaged<Collector>.fromOpaque(argument!).takeUnretainedValue()
            if let module { collector.modules.append(module) }
            return Int32(DWARF_CB_OK)
        }, box, 0)
        return collector.modules.map(Symbolizer.describe).sorted { $0.start < $1.start }
    }

    /// Why reporting the modules of `pid` failed: libdwfl's message, or the system's when
    /// libdwfl saw an errno (it does not keep those).
    private static func processReportError(pid: Int32) -> String {
        let fd = open("/proc/\(pid)/maps", O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            return code == EACCES || code == EPERM
                ? "permission denied (reading /proc/\(pid)/maps needs the same rights as ptrace)"
                : String(cString: strerror(code))
        }
        close(fd)
        return lastError()
    }

    /// libdwfl's message for its last error.
    public static func lastError() -> String {
        guard let message = dwfl_errmsg(-1) else { return "unknown libdwfl error" }
        return String(cString: message)
    }

    // MARK: - Resolution

    private func resolve(_ address: UInt64) -> [SymbolicFrame] {
        guard let module = dwfl_addrmodule(session, address) else { return [SymbolicFrame(address: address)] }
        let (modulePath, moduleStart) = moduleIdentity(module)
        var base = SymbolicFrame(address: address, module: modulePath, moduleOffset: address - moduleStart)
        if let found = symbolTable(of: module).symbol(at: address) {
            base.function = Demangler.demangle(String(cString: found.name))
        }
        if let position = compileUnits.sourcePosition(of: address, in: module) {
            base.file = position.file
            base.line = position.line
        }
        return inlineChain(module: module, address: address, outermost: base)
    }

    /// The sorted symbols of `module`, read on first use.
    public func symbolTable(of module: OpaquePointer) -> SymbolTable {
        if let known = symbolTables[module] { return known }
        let table = SymbolTable(module: module)
        symbolTables[module] = table
        return table
    }

    private func moduleIdentity(_ module: OpaquePointer) -> (String, UInt64) {
        if let known = moduleCache[module] { return known }
        var start: Dwarf_Addr = 0
        let name = dwfl_module_info(module, nil, &start, nil, nil, nil, nil, nil).map { String(cString: $0) } ?? "?"
        moduleCache[module] = (name, start)
        return (name, start)
    }

    /// Splits a frame into its inlined calls using the DWARF scopes at `address`, the way
    /// `eu-stack -i` does: the innermost inlined subroutine gets the line of the address, each
    /// outer one the call site (DW_AT_call_file/line) of the scope inside it. Every frame also
    /// gets the declaration line of its function.
    private func inlineChain(module: OpaquePointer, address: UInt64, outermost: SymbolicFrame) -> [SymbolicFrame] {
        guard var unit = compileUnits.unit(containing: address, in: module) else { return [outermost] }
        // dwarf_getscopes follows an inlined subroutine to its abstract definition; the
        // function it was inlined into comes from the concrete instance's own parents.
        var pending = DwarfNames.scopes(containing: address - unit.bias, in: &unit.die)
        var frames: [SymbolicFrame] = []
        var file = outermost.file
        var line = outermost.line
        var containing = outermost
        while !pending.isEmpty {
            var scope = pending.removeFirst()
            let tag = dwarf_tag(&scope)
            if tag == DW_TAG_inlined_subroutine {
                var frame = outermost
                frame.function = DwarfNames.name(of: &scope) ?? outermost.function
                frame.file = file
                frame.line = line
                frame.isInline = true
                frame.functionLine = DwarfNames.declarationLine(of: &scope)
                frames.append(frame)
                (file, line) = DwarfNames.callSite(of: &scope, compileUnit: &unit.die)
                pending = Array(DwarfNames.parents(of: &scope).dropFirst())
            } else if tag == DW_TAG_subprogram {
                containing.functionLine = DwarfNames.declarationLine(of: &scope)
                break
            }
        }
        containing.file = file
        containing.line = line
        frames.append(containing)
        return frames
    }
}

/// An error from libdwfl or libelf, with their message.
public struct SymbolsError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
