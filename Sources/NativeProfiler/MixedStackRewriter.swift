import CUnwindShim
import TargetProcess

/// Turns the native frames of one sample into a mixed native+JavaScript stack (`diag cpu
/// --mixed`): a frame whose code is V8's (JIT code in anonymous executable memory, or V8's
/// embedded builtins) and whose frame pointer holds a JavaScript frame becomes that
/// function; typed V8 frames (entry, exit, stub) and every other frame stay native. A
/// JavaScript frame whose function cannot be read is kept as `(JS unknown)`, never dropped.
/// JavaScript frames are stored in the raw stacks as tokens (`token(for:)`) that index
/// `functions`; `ProfileAssembler` turns them back into functions.
public final class MixedStackRewriter {
    public let naming: JavaScriptFrameNaming
    private let pid: Int32
    private let memory: ProcessMemory
    private var jitCode: [MemoryMapping] = []
    private var otherCode: [MemoryMapping] = []
    private var mapsReadAt: Int64 = 0
    /// Every function named so far; index 0 is `JavaScriptFunction.unknown`.
    public private(set) var functions: [JavaScriptFunction] = [.unknown]
    private var functionIndex: [JavaScriptFunction: Int] = [.unknown: 0]
    /// JavaScript frames seen in samples: named, and kept as `(JS unknown)`.
    public private(set) var namedFrames = 0
    public private(set) var unnamedFrames = 0

    /// How long a memory map stays current for telling JIT code from other code, in nanoseconds.
    static let mapsLifetime: Int64 = 50_000_000
    private static let tokenMarker: UInt64 = 0xFFFF_0000_0000_0000

    public init(pid: Int32, naming: JavaScriptFrameNaming) {
        self.pid = pid
        self.naming = naming
        memory = ProcessMemory(pid: pid)
        readMaps()
    }

    /// The raw-stack entry that stands for `functions[index]`.
    public static func token(for index: Int) -> UInt64 { tokenMarker | UInt64(index) }

    /// The index into `functions` that a raw-stack entry stands for, or nil for an address.
    public static func functionIndex(of entry: UInt64) -> Int? {
        entry & tokenMarker == tokenMarker ? Int(entry & ~tokenMarker) : nil
    }

    /// The mixed stack, innermost first, of frames `addresses` with their frame pointers
    /// (parallel), sampled with `stack` copied from `stackStart` up.
    func rewrite(_ addresses: ArraySlice<UInt64>, framePointers: ArraySlice<UInt64>, stackStart: UInt64,
                 stack: UnsafeRawBufferPointer) -> [UInt64] {
        let stackWord: (UInt64) -> UInt64? = { [memory] address in
            if address >= stackStart, address - stackStart + 8 <= UInt64(stack.count) {
                return stack.loadUnaligned(fromByteOffset: Int(address - stackStart), as: UInt64.self)
            }
            return memory.readU64(address)
        }
        var result: [UInt64] = []
        result.reserveCapacity(addresses.count)
        var lastJavaScriptFrame: UInt64 = 0
        for (address, framePointer) in zip(addresses, framePointers) {
            guard framePointer != 0, isV8Code(address) else {
                result.append(address)
                continue
            }
            // A builtin that built no frame of its own sees its caller's frame pointer: that
            // frame is named once.
            if framePointer == lastJavaScriptFrame { continue }
            switch naming.frame(at: framePointer, stackWord: stackWord) {
            case .typed:
                result.append(address)
            case let .named(function):
                namedFrames += 1
                lastJavaScriptFrame = framePointer
                result.append(MixedStackRewriter.token(for: index(of: function)))
            case .unnamed:
                unnamedFrames += 1
                lastJavaScriptFrame = framePointer
                result.append(MixedStackRewriter.token(for: 0))
            }
        }
        return result
    }

    private func index(of function: JavaScriptFunction) -> Int {
        if let known = functionIndex[function] { return known }
        functionIndex[function] = functions.count
        functions.append(function)
        return functions.count - 1
    }

    /// True for V8's builtins and for code in anonymous executable memory (V8's JIT code).
    private func isV8Code(_ address: UInt64) -> Bool {
        if naming.embeddedBuiltins?.contains(address) == true { return true }
        if MixedStackRewriter.find(address, in: jitCode) { return true }
        if MixedStackRewriter.find(address, in: otherCode) { return false }
        // New code since the maps were read (V8 commits code pages as it compiles).
        if diag_monotonic_ns() - mapsReadAt < MixedStackRewriter.mapsLifetime { return false }
        readMaps()
        return MixedStackRewriter.find(address, in: jitCode)
    }

    private func readMaps() {
        mapsReadAt = diag_monotonic_ns()
        let executable = MemoryMapping.read(pid: pid).filter(\.isExecutable)
        // Anonymous memory, not the kernel's [vdso] or [vsyscall].
        let isJIT: (MemoryMapping) -> Bool = { $0.inode == 0 && !$0.path.hasPrefix("[v") }
        jitCode = executable.filter(isJIT)
        otherCode = executable.filter { !isJIT($0) }
    }

    private static func find(_ address: UInt64, in mappings: [MemoryMapping]) -> Bool {
        mappings.mapping(containing: address) != nil
    }
}
