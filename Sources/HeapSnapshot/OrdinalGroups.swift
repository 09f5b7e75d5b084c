/// Ordinals grouped by a key in one array (compressed sparse rows): group `g` holds
/// `members[start[g]..<start[g + 1]]`, in the order the ordinals were listed. Built with a
/// counting sort that needs no second cursor array: the pairs are listed last to first, and
/// each group's start steps back from its end as its ordinals are placed.
struct OrdinalGroups: Sendable {
    private(set) var start: [UInt32]
    private(set) var members: [UInt32]

    /// - Parameters:
    ///   - groupCount: groups are `0..<groupCount`.
    ///   - listBackward: hands every (group, ordinal) pair, last first, to the function it is
    ///     given; it is called twice (to count, then to place) and must list the same pairs.
    @inline(__always)
    init(groupCount: Int, listBackward: ((_ group: Int, _ ordinal: UInt32) -> Void) -> Void) {
        var start = [UInt32](repeating: 0, count: groupCount + 1)
        start.withUnsafeMutableBufferPointer { start in
            listBackward { group, _ in start[group] += 1 }
        }
        var position: UInt32 = 0
        for group in 0...groupCount {
            position += start[group]
            start[group] = position
        }
        var members = [UInt32](repeating: 0, count: Int(position))
        start.withUnsafeMutableBufferPointer { start in
            members.withUnsafeMutableBufferPointer { members in
                listBackward { group, ordinal in
                    start[group] -= 1
                    members[Int(start[group])] = ordinal
                }
            }
        }
        self.start = start
        self.members = members
    }

    func of(_ group: Int) -> ArraySlice<UInt32> { members[Int(start[group])..<Int(start[group + 1])] }

    /// Reorders the ordinals of `group` in place.
    mutating func sort(_ group: Int, by areInIncreasingOrder: (UInt32, UInt32) -> Bool) {
        members[Int(start[group])..<Int(start[group + 1])].sort(by: areInIncreasingOrder)
    }

    /// The arrays moved out to `file` (see `SpillFile`); unusable until restored.
    struct Parked {
        let start: SpillFile.Parked<UInt32>
        let members: SpillFile.Parked<UInt32>
    }

    mutating func park(in file: SpillFile) -> Parked { Parked(start: file.park(&start), members: file.park(&members)) }

    mutating func restore(_ parked: Parked, from file: SpillFile) {
        start = file.restore(parked.start)
        members = file.restore(parked.members)
    }
}
