/// An append-only buffer for the parser's hot loop: no copy-on-write or uniqueness checks per
/// element, unlike `Array.append` on an array stored in a struct. `finish()` hands the values
/// over as an `Array` and frees the buffer.
struct GrowableColumn<Element: BitwiseCopyable> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(reserve: Int) {
        capacity = max(16, reserve)
        base = .allocate(capacity: capacity)
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: value)
        count += 1
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// The values as an array; the column is empty and must not be used afterwards.
    mutating func finish() -> [Element] {
        let values = Array(UnsafeBufferPointer(start: base, count: count))
        base.deallocate()
        base = .allocate(capacity: 1)
        capacity = 1
        count = 0
        return values
    }

    /// Frees the buffer (for a column abandoned after an error).
    func release() { base.deallocate() }
}
