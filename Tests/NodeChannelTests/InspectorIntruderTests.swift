import Foundation
import Glibc
import Testing
import TestSupport

/// A local user who is not the target's owner (`nobody`) waits for the inspector diag opens
/// and connects to it at once: diag notices, closes the inspector, discards the capture and
/// exits with status 6, naming the intruder's uid.
@Suite(.serialized) struct InspectorIntruderTests {
    @Test func aConnectionByNobodyDuringTheWindowIsExitStatus6() throws {
        guard getuid() == 0, Command.exists("setpriv") else { return }  // needs root to become nobody
        let port = try freeLoopbackPort()
        let (service, temporary) = try serviceWithOwnTemporaryDirectory("hot-functions.js", environment: ["NODE_OPTIONS": "--inspect-port=\(port)"])
        let source = try String(contentsOfFile: "\(FixturePaths.fixtures)/attacker/inspector-attacker.py", encoding: .utf8)
        // A python3 that nobody can run (not a shim under /root).
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "python3"
        let attacker = Process()
        let output = Pipe()
        attacker.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        attacker.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", python, "-c", source, String(port), "30"]
        attacker.currentDirectoryURL = URL(fileURLWithPath: "/")
        attacker.standardOutput = output
        attacker.standardError = output
        try attacker.run()
        defer { if attacker.isRunning { kill(attacker.processIdentifier, SIGKILL) } }
        usleep(300_000)  // the attacker is polling the port

        let directory = try FixturePaths.temporaryDirectory()
        let result = try Command.diag(["heap", String(service.pid), "-o", "\(directory)/attacked.heapsnapshot"])
        #expect(result.status == 6, "\(result.standardError)")
        #expect(result.standardError.contains("another client connected to the inspector of \(service.pid) (uid 65534) while diag held it; closed it"),
                "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        #expect(NodeService.wait(timeout: 5) { service.otherListeningPorts.isEmpty })
        #expect(NodeService.wait(timeout: 5) { agentDirectories(in: temporary).isEmpty })
        #expect(service.answersHTTP)
        _ = NodeService.wait(timeout: 10) { !attacker.isRunning }
        let said = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        #expect(said.contains("attacker uid 65534"), "\(said)")
    }

    private func freeLoopbackPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw FixtureError("no free port") }
        return UInt16(bigEndian: address.sin_port)
    }
}
