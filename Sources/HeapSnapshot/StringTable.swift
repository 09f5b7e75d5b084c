/// The snapshot's `strings` array kept as one UTF-8 byte buffer plus offsets: no Swift
/// `String` per entry until one is displayed.
public struct StringTable: Sendable {
    private(set) var bytes: [UInt8] = []
    /// `offsets[i]..<offsets[i+1]` are the bytes of string `i`.
    private(set) var offsets: [Int] = [0]

    public init() {}

    /// Number of strings.
    public var count: Int { offsets.count - 1 }

    /// The table moved out to `file` (see `SpillFile`); the table is unusable until restored.
    struct Parked {
        let bytes: SpillFile.Parked<UInt8>
        let offsets: SpillFile.Parked<Int>
    }

    mutating func park(in file: SpillFile) -> Parked {
        Parked(bytes: file.park(&bytes), offsets: file.park(&offsets))
    }

    mutating func restore(_ parked: Parked, from file: SpillFile) {
        bytes = file.restore(parked.bytes)
        offsets = file.restore(parked.offsets)
    }

    /// Appends a string's UTF-8 bytes and returns its index.
    @discardableResult
    mutating func append<C: Collection>(bytes newBytes: C) -> UInt32 where C.Element == UInt8 {
        bytes.append(contentsOf: newBytes)
        offsets.append(bytes.count)
        return UInt32(count - 1)
    }

    /// Appends a string and returns its index.
    @discardableResult
    public mutating func append(_ string: String) -> UInt32 {
        append(bytes: string.utf8)
    }

    /// The string at `index` (which must be valid).
    public subscript(index: UInt32) -> String {
        let lo = offsets[Int(index)], hi = offsets[Int(index) + 1]
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[lo..<hi]), as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 bytes of string `index`.
    @inline(__always)
    func withBytes<R>(_ index: UInt32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let lo = offsets[Int(index)], hi = offsets[Int(index) + 1]
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[lo..<hi])) }
    }

    /// Whether string `index` equals `literal` byte for byte.
    func equals(_ index: UInt32, _ literal: StaticString) -> Bool {
        let lo = offsets[Int(index)], hi = offsets[Int(index) + 1]
        guard hi - lo == literal.utf8CodeUnitCount else { return false }
        return bytes.withUnsafeBufferPointer { buf in
            let lit = literal.utf8Start
            for i in 0..<(hi - lo) where buf[lo + i] != lit[i] { return false }
            return true
        }
    }

    /// Whether string `index` starts with `prefix`.
    func hasPrefix(_ index: UInt32, _ prefix: StaticString) -> Bool {
        let lo = offsets[Int(index)], hi = offsets[Int(index) + 1]
        guard hi - lo >= prefix.utf8CodeUnitCount else { return false }
        return bytes.withUnsafeBufferPointer { buf in
            let lit = prefix.utf8Start
            for i in 0..<prefix.utf8CodeUnitCount where buf[lo + i] != lit[i] { return false }
            return true
        }
    }
}
