/// Why a `.heapsnapshot` (or a request about one) could not be handled.
///
/// Every case carries enough context to tell the user what is wrong with the file,
/// including the byte offset for format errors.
public enum HeapSnapshotError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case io(path: String, reason: String)
    /// The file ended before the JSON document was complete.
    case truncated(offset: UInt64, while: String)
    /// The bytes at `offset` are not what the format allows.
    case malformed(offset: UInt64, reason: String)
    /// The JSON is well formed but its content is inconsistent (counts, indices, types).
    case invalid(reason: String)

    public var description: String {
        switch self {
        case let .io(path, reason):
            return "cannot read \(path): \(reason)"
        case let .truncated(offset, what):
            return "truncated heap snapshot: the file ends at byte \(offset) while reading \(what)"
        case let .malformed(offset, reason):
            return "malformed heap snapshot at byte \(offset): \(reason)"
        case let .invalid(reason):
            return "invalid heap snapshot: \(reason)"
        }
    }
}
