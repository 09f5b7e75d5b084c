import Foundation
import TestSupport
import Testing

/// Permission problems are named precisely when diag runs as an unprivileged user against
/// a root process (needs the tests to run as root, as CI does).
@Suite(.enabled(if: geteuid() == 0, "needs root to switch to an unprivileged user"))
struct PermissionTests {
    @Test func doctorNamesTheOwnerWhenPtraceIsRefused() throws {
        let fixture = try FixtureProcess.native("spin")
        let result = try Command.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                          FixturePaths.diagExecutable, "doctor", String(fixture.pid)])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("fail  ptrace        permission denied: process \(fixture.pid) belongs to user root"))
        #expect(result.standardOutput.contains("fix: run diag as that user or as root"))
        #expect(result.standardOutput.contains("permission denied (reading /proc/\(fixture.pid)/maps needs the same rights as ptrace)"))
        #expect(fixture.isRunning)
    }
}
