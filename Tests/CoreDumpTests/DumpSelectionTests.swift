import CoreDump
import Testing

/// Which memory `diag gcore` saves, decided from smaps and coredump_filter like the kernel.
@Suite struct DumpSelectionTests {
    static let smaps = """
    55d0c2a00000-55d0c2a01000 r--p 00000000 fe:00 1234                       /srv/app/server
    Size:                  4 kB
    Anonymous:             0 kB
    VmFlags: rd mr mw me sd
    55d0c2a01000-55d0c2a02000 r-xp 00001000 fe:00 1234                       /srv/app/server
    Anonymous:             0 kB
    VmFlags: rd ex mr mw me sd
    55d0c2a03000-55d0c2a04000 rw-p 00003000 fe:00 1234                       /srv/app/server
    Anonymous:             4 kB
    VmFlags: rd wr mr mw me ac sd
    55d0c3000000-55d0c3021000 rw-p 00000000 00:00 0                          [heap]
    Anonymous:           132 kB
    VmFlags: rd wr mr mw me ac sd
    7f0000000000-7f0000100000 ---p 00000000 00:00 0
    VmFlags: mr mw me sd
    7f0000100000-7f0000200000 rw-s 00000000 00:01 77                         /dev/shm/buffer
    Anonymous:             0 kB
    VmFlags: rd wr sh mr mw me ms sd
    7f0000200000-7f0000201000 rw-p 00000000 00:00 0
    Anonymous:             4 kB
    VmFlags: rd wr mr mw me dd sd
    7ffc00000000-7ffc00002000 r--p 00000000 00:00 0                          [vvar]
    VmFlags: rd mr pf io de dd sd
    7ffc00002000-7ffc00004000 r-xp 00000000 00:00 0                          [vdso]
    VmFlags: rd ex mr mw me de sd
    """

    @Test func defaultFilterSavesAnonymousMemoryAndElfHeaders() {
        let selection = DumpSelection(smaps: DumpSelectionTests.smaps, filter: DumpSelection.defaultFilter) { $0.path == "/srv/app/server" }
        #expect(selection.regions.count == 9)
        #expect(selection.regions.map(\.dumpedSize) == [
            0x1000,  // ELF header page of the executable
            0,  // its code: the file has it
            0x1000,  // written (copy-on-write) data
            0x21000,  // heap
            0,  // PROT_NONE reservation
            0,  // shared file mapping: filter bit 3 is off by default
            0,  // VM_DONTDUMP
            0,  // [vvar]
            0x2000,  // [vdso]
        ])
    }

    @Test func filterBitsForFileMappings() {
        let all = DumpSelection(smaps: DumpSelectionTests.smaps, filter: 0x3f) { _ in true }
        #expect(all.regions[1].dumpedSize == 0x1000)  // file private: bit 2
        #expect(all.regions[5].dumpedSize == 0x100000)  // file shared: bit 3
        let none = DumpSelection(smaps: DumpSelectionTests.smaps, filter: 0) { _ in true }
        #expect(none.dumpedBytes == 0x2000)  // only the vDSO, always saved
    }
}
