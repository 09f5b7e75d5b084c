import CSystemShim

/// glibc serves a large `malloc` with its own mapping, returned to the system on `free`, but
/// after the first such free it raises that threshold up to 32 MiB, and smaller columns then
/// come from the heap, where freed memory stays resident. The analysis frees many per-node
/// arrays of a few MiB between phases, so the threshold is pinned once, before reading.
enum LargeAllocations {
    /// Allocations at or above this size get their own mapping.
    static let mappingThreshold: Int32 = 1 << 20

    private static let pinned: Bool = diag_set_mmap_threshold(mappingThreshold) == 1

    /// Pins the threshold (once per process); false if glibc refused.
    @discardableResult
    static func returnFreedColumnsToTheSystem() -> Bool { pinned }
}
