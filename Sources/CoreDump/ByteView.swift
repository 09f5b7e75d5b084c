/// A bounds-checked, little-endian view of bytes that came from an untrusted file. Every
/// read returns nil instead of trapping when it would leave the buffer, so that a hostile
/// or truncated core can never crash diag.
public struct ByteView {
    public let bytes: UnsafeRawBufferPointer

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    public var count: Int { bytes.count }

    /// True when `count` bytes starting at `offset` lie inside the view.
    public func contains(offset: UInt64, count: UInt64) -> Bool {
        offset <= UInt64(bytes.count) && count <= UInt64(bytes.count) - offset
    }

    public func u8(at offset: UInt64) -> UInt8? {
        guard contains(offset: offset, count: 1) else { return nil }
        return bytes[Int(offset)]
    }

    public func u16(at offset: UInt64) -> UInt16? {
        guard contains(offset: offset, count: 2) else { return nil }
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: Int(offset), as: UInt16.self))
    }

    public func u32(at offset: UInt64) -> UInt32? {
        guard contains(offset: offset, count: 4) else { return nil }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: Int(offset), as: UInt32.self))
    }

    public func i32(at offset: UInt64) -> Int32? {
        u32(at: offset).map { Int32(bitPattern: $0) }
    }

    public func u64(at offset: UInt64) -> UInt64? {
        guard contains(offset: offset, count: 8) else { return nil }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: Int(offset), as: UInt64.self))
    }

    /// A sub-view, or nil when the range is not inside this view.
    public func slice(offset: UInt64, count: UInt64) -> ByteView? {
        guard contains(offset: offset, count: count) else { return nil }
        return ByteView(UnsafeRawBufferPointer(rebasing: bytes[Int(offset)..<Int(offset + count)]))
    }

    /// The bytes up to the first NUL (or the end of the field), decoded as UTF-8 with
    /// invalid sequences replaced.
    public func string(at offset: UInt64, maxLength: UInt64) -> String? {
        guard offset <= UInt64(bytes.count) else { return nil }
        let end = min(UInt64(bytes.count), offset &+ maxLength < offset ? UInt64(bytes.count) : offset + maxLength)
        let field = bytes[Int(offset)..<Int(end)]
        let terminated = field.firstIndex(of: 0).map { field[..<$0] } ?? field
        return String(decoding: terminated, as: UTF8.self)
    }

    /// The number of bytes before the first NUL at or after `offset` (to the end of the view
    /// when there is none).
    public func lengthOfCString(at offset: UInt64) -> UInt64 {
        guard offset < UInt64(bytes.count) else { return 0 }
        let field = bytes[Int(offset)...]
        return UInt64((field.firstIndex(of: 0) ?? bytes.count) - Int(offset))
    }

    /// A copy of the bytes.
    public var array: [UInt8] { Array(bytes) }
}
