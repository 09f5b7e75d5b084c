/// Recovers the full argument vector from the initial process stack saved in the core:
/// the kernel lays out argc, argv[], NULL, envp[], NULL and the auxiliary vector at the top
/// of the main thread's stack. diag finds the auxiliary vector (known from NT_AUXV) in the
/// stack segment and walks back over envp and argv. Programs may rewrite their argument area
/// (Node does for process.title), so the result is accepted only when it agrees with the
/// process-info copy of the command line.
public enum ArgumentRecovery {
    static let maximumArguments = 4096

    public static func recover(memory: CoreMemory, notes: CoreNotes) -> [String]? {
        guard notes.auxiliaryVector.count >= 2,
              let anchor = notes.auxiliaryValue(AuxiliaryKey.executableName) ?? notes.auxiliaryValue(AuxiliaryKey.random),
              let stack = memory.segment(containing: anchor), stack.fileSize > 0,
              let auxiliaryStart = findAuxiliaryVector(in: stack, memory: memory, notes: notes) else { return nil }
        // Just below the auxiliary vector: envp's NULL terminator.
        var cursor = auxiliaryStart &- 8
        guard memory.readU64(cursor) == 0 else { return nil }
        // Walk back over the environment pointers to argv's NULL terminator.
        cursor &-= 8
        var steps = 0
        while let value = memory.readU64(cursor), value != 0 {
            cursor &-= 8
            steps += 1
            if steps > 100_000 { return nil }
        }
        let argvEnd = cursor
        // Walk back over argv until the word that equals the number of pointers seen (argc).
        var pointers: [UInt64] = []
        cursor &-= 8
        while pointers.count <= maximumArguments, let value = memory.readU64(cursor) {
            if value == UInt64(pointers.count) { break }
            guard stack.contains(value) else { return nil }
            pointers.append(value)
            cursor &-= 8
        }
        guard cursor < argvEnd, !pointers.isEmpty, pointers.count <= maximumArguments else { return nil }
        let arguments = pointers.reversed().compactMap { memory.readCString($0, maxLength: 1 << 16) }
        guard arguments.count == pointers.count else { return nil }
        if let recorded = notes.processInfo?.arguments, !recorded.isEmpty {
            let joined = arguments.joined(separator: " ")
            guard joined.hasPrefix(recorded) || recorded.hasPrefix(joined) else { return nil }
        }
        return arguments
    }

    /// The address of the first auxiliary vector entry inside the stack segment.
    private static func findAuxiliaryVector(in stack: ProgramSegment, memory: CoreMemory, notes: CoreNotes) -> UInt64? {
        guard let bytes = memory.read(stack.virtualAddress, count: Int(min(stack.fileSize, 1 << 24))) else { return nil }
        let first = notes.auxiliaryVector[0]
        let second = notes.auxiliaryVector[1]
        return bytes.withUnsafeBytes { raw -> UInt64? in
            var offset = raw.count - 32
            // The vector sits near the top: search downwards on 8-byte boundaries.
            offset -= offset % 8
            while offset >= 8 {
                if raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == first.key,
                   raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self) == first.value,
                   raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self) == second.key,
                   raw.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self) == second.value {
                    return stack.virtualAddress &+ UInt64(offset)
                }
                offset -= 8
            }
            return nil
        }
    }
}
