import Symbols
import Testing

/// `/tmp/perf-PID.map` parsing and lookup, for JIT-compiled code.
@Suite struct PerfMapTests {
    @Test func findsTheFunctionContainingAnAddress() {
        let map = PerfMap(text: """
            7f0000001000 40 LazyCompile:*handle /app/server.js:10
            7f0000000000 100 Builtin:ArgumentsAdaptorTrampoline
            not a line
            0x7f0000002000 0x10 stub
            """)
        #expect(map.entries.count == 3)
        #expect(map.entry(containing: 0x7f00_0000_1010)?.name == "LazyCompile:*handle /app/server.js:10")
        #expect(map.entry(containing: 0x7f00_0000_00ff)?.name == "Builtin:ArgumentsAdaptorTrampoline")
        #expect(map.entry(containing: 0x7f00_0000_2008)?.name == "stub")
        #expect(map.entry(containing: 0x7f00_0000_1040) == nil)
        #expect(map.entry(containing: 0x10) == nil)
    }

    @Test func laterLinesWinForTheSameAddress() {
        let map = PerfMap(text: "1000 10 old\n1000 10 new\n")
        #expect(map.entry(containing: 0x1004)?.name == "new")
    }
}
