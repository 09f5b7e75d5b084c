import Testing
@testable import TargetProcess

@Suite struct ProcParsingTests {
    @Test func statusFields() {
        let status = ProcessStatus(parsing: """
        Name:\tnode
        State:\tS (sleeping)
        Tgid:\t42
        PPid:\t1
        TracerPid:\t0
        Uid:\t1000\t1001\t1000\t1000
        Gid:\t100\t100\t100\t100
        VmRSS:\t   2048 kB
        Threads:\t7
        NSpid:\t42\t7
        SigCgt:\t0000000000000200
        CapEff:\t0000000000080000
        """)
        #expect(status.name == "node")
        #expect(status.realUID == 1000 && status.effectiveUID == 1001)
        #expect(status.residentBytes == 2048 * 1024)
        #expect(status.threadCount == 7)
        #expect(status.namespacePIDs == [42, 7])
        #expect(ProcessStatus.has(signal: 10, in: status.caughtSignals))
        #expect(!ProcessStatus.has(signal: 9, in: status.caughtSignals))
        #expect(status.effectiveCapabilities == 1 << 19)
    }

    @Test func threadStatWithAwkwardName() throws {
        let thread = try #require(ThreadInfo(tid: 9, statLine: "9 (a) b (c)) R 1 9 9 0 -1 4194560 0 0 0 0 150 25 0 0 20 0 1 0 100"))
        #expect(thread.name == "a) b (c)")
        #expect(thread.state == "R")
        #expect(thread.userTicks == 150 && thread.systemTicks == 25)
    }

    @Test func mapsLines() throws {
        let mapping = try #require(MemoryMapping(line: "7f12a000-7f12c000 r-xp 00002000 08:01 1234   /usr/lib/libnode.so.108 (deleted)"))
        #expect(mapping.start == 0x7f12a000 && mapping.end == 0x7f12c000)
        #expect(mapping.isExecutable && mapping.isFileBacked && mapping.isDeleted)
        #expect(mapping.path == "/usr/lib/libnode.so.108 (deleted)")
        let anonymous = try #require(MemoryMapping(line: "7ffd000-7ffe000 rw-p 00000000 00:00 0 "))
        #expect(!anonymous.isFileBacked && anonymous.path.isEmpty)
    }

    @Test func listeningSocketTables() {
        let ipv4 = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:240D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5551 1 0000000000000000 100 0 0 10 0
           1: 0100007F:9C40 0100007F:240D 01 00000000:00000000 00:00000000 00000000     0        0 5552 1 0000000000000000 100 0 0 10 0
        """
        let sockets = ListeningSockets.parse(ipv4, isIPv6: false)
        #expect(sockets == [ListeningSocket(address: "127.0.0.1", port: 9229, inode: 5551)])
        #expect(sockets[0].isLoopback)
        #expect(ListeningSockets.ipv6("00000000000000000000000001000000") == "::1")
        #expect(ListeningSockets.ipv6("00000000000000000000000000000000") == "::")
        #expect(ListeningSockets.ipv6("0000000000000000FFFF00000100007F") == "::ffff:127.0.0.1")
    }
}
