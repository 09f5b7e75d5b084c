import CDwflShim
import CLibdw
import DiagSupport
import Glibc
import Symbols

/// One thread's stack as libdwfl unwound it: program counters, innermost first.
public struct RawThreadStack: Sendable {
    public var tid: Int32
    /// The program counters and, for each, whether it is exact (innermost or signal frame)
    /// rather than a return address.
    public var frames: [(pc: UInt64, isExact: Bool)]
    /// Each frame's rbp as libdwfl recovered it, nil when unknown.
    public var framePointers: [UInt64?]
    /// libdwfl's message when the unwind stopped on an error.
    public var error: String?
}

/// A libdwfl session over a core file: it reports the core's modules (finding their files by
/// build-id and path), unwinds its threads and resolves addresses. The libelf handle stays
/// open as long as the session.
public final class CoreSession {
    private let elf: OpaquePointer
    /// The symbolizer owns the libdwfl session.
    public private(set) var symbolizer: Symbolizer!

    /// Reports the modules of the core open as `descriptor`; `executable` overrides the main
    /// program's file.
    public init(descriptor: Int32, executable: String?) throws {
        elf_version(UInt32(EV_CURRENT))
        guard let handle = elf_begin(descriptor, ELF_C_READ_MMAP, nil) else {
            throw DiagError(.failure, "libelf cannot read the core: \(String(cString: elf_errmsg(-1)))")
        }
        elf = handle
        let session = executable.withOptionalCString { diag_dwfl_begin_core(handle, $0) }
        guard let session else {
            // Every stored property is set, so deinit runs and ends the libelf handle.
            throw DiagError(.failure, "libdwfl cannot read the core's modules: \(Symbolizer.lastError())")
        }
        symbolizer = Symbolizer(takingOwnershipOf: session)
    }

    deinit {
        symbolizer = nil
        elf_end(elf)
    }

    /// Unwinds every thread, at most `maxFrames` frames each. Throws when libdwfl cannot
    /// attach the core's threads.
    public func stacks(maxFrames: Int) throws -> [RawThreadStack] {
        final class Collector { var stacks: [RawThreadStack] = [] }
        let collector = Collector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        let result = diag_dwfl_core_stacks(symbolizer.session, elf, max(1, maxFrames), { context, tid, pcs, exact, framePointers, count, error in
            let collector = Unmanaged<Collector>.fromOpaque(context!).takeUnretainedValue()
            var frames: [(pc: UInt64, isExact: Bool)] = []
            var pointers: [UInt64?] = []
            frames.reserveCapacity(count)
            for index in 0..<count {
                frames.append((pcs![index], exact![index] != 0))
                pointers.append(framePointers![index] == 0 ? nil : framePointers![index])
            }
            collector.stacks.append(RawThreadStack(tid: tid, frames: frames, framePointers: pointers,
                                                   error: error.map { String(cString: $0) }))
            return 0
        }, context)
        guard result >= 0 else {
            throw DiagError(.failure, "libdwfl cannot read the core's threads: \(Symbolizer.lastError())")
        }
        return collector.stacks
    }

    /// The addresses of the symbols named in `names` or starting with one of `prefixes`, from
    /// the modules whose path `inModule` accepts (the symbol table, or the dynamic one when
    /// the file is stripped), through their `SymbolTable`s.
    public func symbolAddresses(inModule: (String) -> Bool, names: Set<String> = [], prefixes: [String] = []) -> [String: UInt64] {
        symbolizer.symbolAddresses(inModule: inModule, names: names, prefixes: prefixes)
    }

    /// The libdwfl modules of the session.
    func moduleHandles() -> [OpaquePointer] { symbolizer.moduleHandles() }
}

extension Optional where Wrapped == String {
    func withOptionalCString<Result>(_ body: (UnsafePointer<CChar>?) -> Result) -> Result {
        switch self {
        case .some(let text): return text.withCString { body($0) }
        case .none: return body(nil)
        }
    }
}
