/// What the classifier looks at: the signal, the crashing thread and a few words of memory.
public struct CrashEvidence: Sendable {
    public var signal: CoreSummary.SignalFacts?
    public var pid: Int32?
    /// True for cores that say they were written on demand (a DIAG note).
    public var isSnapshotByProducer: Bool
    public var frames: [CoreSummary.Frame]
    public var instructionPointer: UInt64?
    public var stackPointer: UInt64?
    /// The memory segment holding the crashing thread's stack pointer, if it is mapped.
    public var stackSegment: ProgramSegment?
    /// The memory segment holding the fault address, if any (a guard page is one without permissions).
    public var faultSegment: ProgramSegment?
    /// The two bytes at the instruction pointer, when saved (to recognize ud2).
    public var instructionBytes: [UInt8]?
    public var abortMessage: String?
    public var isNode: Bool
}

/// Turns evidence into a `CrashVerdict`, most specific rule first.
public enum CrashClassifier {
    /// Faults below this address are taken for a null pointer plus a field offset.
    static let nullPageLimit: UInt64 = 64 * 1024
    /// How far below the stack segment a fault still counts as hitting the stack guard
    /// (the kernel's default stack_guard_gap is 256 pages).
    static let stackGuardReach: UInt64 = 1 << 20
    /// A fault this close to the stack pointer is the current frame's own access.
    static let nearStackPointer: UInt64 = 64 * 1024

    /// Functions of the C library and runtime that raise or report a crash, skipped when
    /// naming the function a crash happened in.
    static let plumbing: [String] = [
        "raise", "abort", "__GI_raise", "__GI_abort", "__pthread_kill", "pthread_kill", "__pthread_kill_implementation",
        "__pthread_kill_internal", "__assert_fail", "__assert_fail_base", "__libc_message", "malloc_printerr",
        "__fortify_fail", "__chk_fail", "__stack_chk_fail", "_int_free", "_int_malloc", "__libc_free", "__libc_malloc",
        "free", "malloc", "realloc", "__GI___libc_free", "__GI___assert_fail", "tcache_double_free_verify",
        "_int_free_merge_chunk", "_int_free_create_chunk", "__libc_realloc", "_int_realloc",
    ]

    public static func classify(_ evidence: CrashEvidence) -> CrashVerdict {
        let location = attributedFrame(evidence.frames)
        let place = location.map { " in " + describe($0) } ?? ""
        guard let signal = evidence.signal, signal.number != 0, !evidence.isSnapshotByProducer,
              !(signal.number == SignalDescription.stop && signal.code == SignalDescription.Code.kernel) else {
            return CrashVerdict(kind: .snapshot, text: "snapshot, not a crash: the core was written on demand from a running process",
                                function: nil)
        }
        if evidence.isNode, let verdict = nodeVerdict(evidence, signal: signal) { return verdict }
        if let message = evidence.abortMessage, !message.isEmpty {
            return abortVerdict(message: message, place: place, function: location?.function)
        }
        if SignalDescription.isSentByProcess(code: signal.code), let sender = signal.senderPID, sender != evidence.pid {
            let by = signal.senderUID.map { " (uid \($0))" } ?? ""
            return CrashVerdict(kind: .killedBySignal,
                                text: "killed by \(signal.name) sent by pid \(sender)\(by) with \(signal.codeName == "SI_USER" ? "kill()" : signal.codeName)",
                                function: location?.function)
        }
        switch signal.number {
        case SignalDescription.segmentationFault, SignalDescription.busError:
            return memoryVerdict(evidence, signal: signal, location: location, place: place)
        case SignalDescription.abort:
            if let thrower = uncaughtExceptionThrower(evidence.frames) {
                return CrashVerdict(kind: .uncaughtCppException,
                                    text: "uncaught C++ exception (std::terminate) thrown in \(describe(thrower))",
                                    function: thrower.function)
            }
            return CrashVerdict(kind: .abort, text: "abort() called\(place)", function: location?.function)
        case SignalDescription.floatingPointError where signal.codeName == "FPE_INTDIV":
            return CrashVerdict(kind: .divideByZero, text: "integer division by zero\(place)", function: location?.function)
        case SignalDescription.illegalInstruction:
            let isTrap = evidence.instructionBytes == [0x0f, 0x0b]
            let what = isTrap ? "trap instruction (ud2: __builtin_trap or a compiler-inserted check)" : "illegal instruction"
            return CrashVerdict(kind: isTrap ? .trap : .illegalInstruction, text: "\(what)\(place)", function: location?.function)
        case SignalDescription.trap:
            return CrashVerdict(kind: .trap, text: "breakpoint trap (int3)\(place)", function: location?.function)
        default:
            return CrashVerdict(kind: .signal, text: "terminated by \(signal.name) (\(signal.codeMeaning))\(place)",
                                function: location?.function)
        }
    }

    private static func memoryVerdict(_ evidence: CrashEvidence, signal: CoreSummary.SignalFacts,
                                      location: CoreSummary.Frame?, place: String) -> CrashVerdict {
        let address = signal.faultAddress
        if let recursion = stackOverflow(evidence) {
            var verdict = CrashVerdict(kind: .stackOverflow,
                                       text: "stack overflow: \(recursion.function) recursed (\(recursion.count) of the top \(evidence.frames.count) frames)",
                                       function: recursion.function)
            if recursion.count < 2 { verdict.text = "stack overflow\(place)" }
            verdict.recursion = recursion
            return verdict
        }
        if signal.codeName == "SI_KERNEL" {
            return CrashVerdict(kind: .generalProtection,
                                text: "general protection fault (a non-canonical or misaligned pointer)\(place)",
                                function: location?.function)
        }
        guard let address else {
            return CrashVerdict(kind: .invalidMemoryAccess, text: "invalid memory access\(place)", function: location?.function)
        }
        if address < nullPageLimit && signal.number == SignalDescription.segmentationFault {
            let field = address == 0 ? "" : " (field at offset \(hex(address)))"
            return CrashVerdict(kind: .nullPointerDereference, text: "null-pointer dereference\(field)\(place)",
                                function: location?.function)
        }
        if signal.codeName == "SEGV_ACCERR", address == evidence.instructionPointer {
            return CrashVerdict(kind: .executeNonExecutable, text: "jumped to non-executable memory at \(hex(address))\(place)",
                                function: location?.function)
        }
        let reason = signal.codeName == "SEGV_ACCERR" ? "access to protected memory" : "access to unmapped memory"
        return CrashVerdict(kind: .invalidMemoryAccess, text: "\(reason) at \(hex(address))\(place)", function: location?.function)
    }

    /// A fault next to the stack pointer in unmapped memory or a guard page (the frame that
    /// did not fit), or just below the stack segment (the guard gap under the main stack).
    private static func stackOverflow(_ evidence: CrashEvidence) -> (function: String, count: Int)? {
        guard let address = evidence.signal?.faultAddress else { return nil }
        let isUnmappedOrGuard = evidence.faultSegment.map { !$0.isReadable && !$0.isWritable } ?? true
        var hitsGuard = false
        if let pointer = evidence.stackPointer, isUnmappedOrGuard {
            let distance = address > pointer ? address - pointer : pointer - address
            hitsGuard = distance <= nearStackPointer
        }
        if let stack = evidence.stackSegment, address < stack.virtualAddress, stack.virtualAddress - address <= stackGuardReach,
           isUnmappedOrGuard {
            hitsGuard = true
        }
        guard hitsGuard else { return nil }
        var counts: [String: Int] = [:]
        for frame in evidence.frames { counts[frame.displayName, default: 0] += 1 }
        let top = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }
        return top.map { ($0.key, $0.value) } ?? ("?", 0)
    }

    private static func abortVerdict(message: String, place: String, function: String?) -> CrashVerdict {
        let text = message.trimmingCharacters(in: "\n ")
        if text.contains("Assertion") && text.contains("failed") {
            return CrashVerdict(kind: .assertionFailure, text: "assertion failed: \(text)", abortMessage: text, function: function)
        }
        if text.contains("stack smashing detected") {
            return CrashVerdict(kind: .stackSmashing, text: "stack buffer overflow detected (stack protector)\(place)",
                                abortMessage: text, function: function)
        }
        let heapMarkers = ["malloc", "free(", "realloc", "calloc", "double free", "corrupted", "munmap_chunk", "tcache", "chunk", "memalign"]
        if heapMarkers.contains(where: { text.contains($0) }) {
            return CrashVerdict(kind: .heapCorruption, text: "heap corruption detected by malloc: \(text)\(place)",
                                abortMessage: text, function: function)
        }
        return CrashVerdict(kind: .abort, text: "abort: \(text)\(place)", abortMessage: text, function: function)
    }

    private static func nodeVerdict(_ evidence: CrashEvidence, signal: CoreSummary.SignalFacts) -> CrashVerdict? {
        let names = evidence.frames.compactMap(\.function)
        func has(_ fragment: String) -> Bool { names.contains { $0.contains(fragment) } }
        if has("FatalProcessOutOfMemory") || has("OOMErrorHandler") || has("Heap::FatalProcessOutOfMemory") {
            return CrashVerdict(kind: .nodeOutOfMemory, text: "Node.js fatal error: JavaScript heap out of memory (V8 OOM)",
                                function: nil)
        }
        if has("Isolate::CreateMessageOrAbort") || (has("Runtime_Throw") && has("OS::Abort")) {
            return CrashVerdict(kind: .nodeUncaughtException,
                                text: "Node.js uncaught JavaScript exception (--abort-on-uncaught-exception), \(signal.name)",
                                function: nil)
        }
        if has("V8_Fatal") || has("node::Assert") || has("node::OnFatalError") {
            let which = names.first { $0.contains("V8_Fatal") || $0.contains("node::Assert") || $0.contains("OnFatalError") } ?? ""
            return CrashVerdict(kind: .nodeFatalError, text: "Node.js fatal error in \(which)", function: which)
        }
        return nil
    }

    /// The first frame outside the C library's abort and malloc plumbing.
    static func attributedFrame(_ frames: [CoreSummary.Frame]) -> CoreSummary.Frame? {
        frames.first { frame in
            guard let function = frame.function else { return false }
            return !plumbing.contains(baseSymbol(function))
        } ?? frames.first
    }

    /// The frame that threw, when std::terminate ended an exception nobody caught: the first
    /// frame after `__cxa_throw` (or `__cxa_rethrow`).
    static func uncaughtExceptionThrower(_ frames: [CoreSummary.Frame]) -> CoreSummary.Frame? {
        let names = frames.map { $0.function ?? "" }
        guard names.contains(where: { $0.hasPrefix("std::terminate") || $0.hasPrefix("__cxxabiv1::__terminate") }),
              let thrown = names.firstIndex(where: { $0 == "__cxa_throw" || $0 == "__cxa_rethrow" }),
              thrown + 1 < frames.count else { return nil }
        return frames[thrown + 1]
    }

    /// `__assert_fail_base` for `__assert_fail_base.cold` or `free@@GLIBC_2.2.5`.
    static func baseSymbol(_ name: String) -> String {
        String(name.prefix { $0 != "." && $0 != "@" })
    }

    static func describe(_ frame: CoreSummary.Frame) -> String {
        guard let location = frame.shortLocation else { return frame.displayName }
        return "\(frame.displayName) (\(location))"
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
