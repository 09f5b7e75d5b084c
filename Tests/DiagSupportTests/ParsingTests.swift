import DiagSupport
import Testing

@Suite struct ParsingTests {
    @Test(arguments: [("500ms", 0.5), ("10s", 10), ("2m", 120), ("1.5s", 1.5), ("3", 3), ("1h", 3600), ("250us", 0.00025)])
    func durations(text: String, seconds: Double) throws {
        let span = try #require(TimeSpan(parsing: text))
        #expect(abs(span.seconds - seconds) < 1e-9)
    }

    @Test(arguments: ["", "abc", "-1s", "10x", "s", "nan", "inf"])
    func badDurations(text: String) {
        #expect(TimeSpan(parsing: text) == nil)
    }

    @Test(arguments: [("50MB", Int64(50_000_000)), ("1.5GiB", 1_610_612_736), ("4096", 4096), ("10kB", 10_000), ("2k", 2000), ("7 B", 7)])
    func byteSizes(text: String, bytes: Int64) throws {
        #expect(try #require(ByteSize(parsing: text)).bytes == bytes)
    }

    @Test(arguments: ["", "MB", "-5MB", "1e30GB", "12 parsecs"])
    func badByteSizes(text: String) {
        #expect(ByteSize(parsing: text) == nil)
    }

    @Test func byteSizeFormatting() {
        #expect(ByteSize.format(512) == "512 B")
        #expect(ByteSize.format(2_913_155) == "2.9 MB")
        #expect(ByteSize.format(-1500) == "-1.5 kB")
    }

    @Test func defaultOutputNames() {
        // 2026-11-21 16:13:00 UTC; the name uses local time, so only the shape is checked.
        let name = defaultOutputName(command: "cpu", target: "my server", pid: 42, fileExtension: "cpuprofile", at: 1_795_277_580)
        #expect(name.hasPrefix("cpu-my-server-42-"))
        #expect(name.hasSuffix(".cpuprofile"))
        #expect(name.count == "cpu-my-server-42-".count + 15 + ".cpuprofile".count)
    }

    @Test func tablesAlignColumns() {
        var table = TextTable(["NAME", "COUNT"], alignments: [.left, .right])
        table.add(["a", "1"])
        table.add(["long", "100"])
        #expect(table.render() == "NAME  COUNT\na         1\nlong    100\n")
    }
}
