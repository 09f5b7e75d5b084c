import Testing
@testable import NodeInspector

@Suite struct ProcTablesTests {
    @Test func establishedRows() {
        let table = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:240D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5551 1 0
           1: 0100007F:240D 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 5553 1 0
           2: 0100007F:9C40 0100007F:240D 01 00000000:00000000 00:00000000 00000000     0        0 5552 1 0
        """
        #expect(InspectorClients.parse(table) == [
            .init(localPort: 9229, remotePort: 40000, inode: 5553),
            .init(localPort: 40000, remotePort: 9229, inode: 5552),
        ])
    }

    @Test func cgroupAncestors() {
        #expect(CgroupMemory.ancestors(of: "/a/b") == ["/a/b", "/a", ""])
        #expect(CgroupMemory.ancestors(of: "/") == [""])
    }

    @Test func snapshotCostAgainstLimits() {
        let small = SnapshotCost(heapUsed: 10 << 20, cgroup: .init(limit: 1 << 30, usage: 100 << 20), machineAvailable: 8 << 30)
        #expect(!small.exceedsCgroupLimit && !small.exceedsAvailableMemory)
        #expect(small.estimatedPeakGrowth == 120 << 20)
        let tight = SnapshotCost(heapUsed: 100 << 20, cgroup: .init(limit: 1 << 30, usage: 300 << 20), machineAvailable: 8 << 30)
        #expect(tight.exceedsCgroupLimit)
        let unlimited = SnapshotCost(heapUsed: 1 << 30, cgroup: nil, machineAvailable: 4 << 30)
        #expect(!unlimited.exceedsCgroupLimit && unlimited.exceedsAvailableMemory)
    }

    @Test func expectedInspectorPort() {
        #expect(InspectorPortSetting.expectedPort(arguments: ["server.js"], nodeOptions: "") == 9229)
        #expect(InspectorPortSetting.expectedPort(arguments: ["--inspect-port=0", "server.js"], nodeOptions: "") == 0)
        #expect(InspectorPortSetting.expectedPort(arguments: ["server.js", "--inspect-port=7"], nodeOptions: "--inspect-port=9300") == 9300)
        #expect(InspectorPortSetting.expectedPort(arguments: ["--inspect-port", "127.0.0.1:9301", "s.js"], nodeOptions: "--inspect-port=9300") == 9301)
    }

    @Test func networkNamespaceLinks() {
        #expect(NetworkNamespace.parse(link: "net:[4026531840]") == NetworkNamespace(inode: 4026531840))
        #expect(NetworkNamespace.parse(link: "mnt:[1]") == nil)
        #expect(NetworkNamespace.current != nil)
    }
}
