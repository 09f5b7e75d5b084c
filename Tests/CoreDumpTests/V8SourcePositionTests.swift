@testable import CoreDump
import Testing

/// Source positions to 1-based lines with a script's line ends (the offsets of its "\n"s and
/// its length, as V8 keeps them).
@Suite struct V8SourcePositionTests {
    // "ab\ncd\n\nef": line ends at 2, 5, 6 and the end, 9.
    let ends = [2, 5, 6, 9]

    @Test func positionsFallOnTheirLines() {
        #expect(V8Heap.line(ofPosition: 0, lineEnds: ends) == 1)
        #expect(V8Heap.line(ofPosition: 2, lineEnds: ends) == 1)  // the newline itself ends line 1
        #expect(V8Heap.line(ofPosition: 3, lineEnds: ends) == 2)
        #expect(V8Heap.line(ofPosition: 6, lineEnds: ends) == 3)
        #expect(V8Heap.line(ofPosition: 7, lineEnds: ends) == 4)
        #expect(V8Heap.line(ofPosition: 9, lineEnds: ends) == 4)
    }

    @Test func positionsOutsideTheScriptHaveNoLine() {
        #expect(V8Heap.line(ofPosition: 10, lineEnds: ends) == nil)
        #expect(V8Heap.line(ofPosition: -1, lineEnds: ends) == nil)
        #expect(V8Heap.line(ofPosition: 0, lineEnds: []) == nil)
    }
}
