import Foundation
import TestSupport

/// Heap snapshots taken by `diag heap` (one inspector session, three snapshots) of real Node
/// processes running `Tests/Fixtures/node/leaks.js SCENARIO`: the process grows by one step
/// (SIGUSR2) after the first and after the second snapshot. Made once per scenario and test run.
struct LeakScenarioSnapshots: Sendable {
    let directory: String
    var paths: [String] { (1...3).map { "\(directory)/s-\($0).heapsnapshot" } }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var made: [String: Result<LeakScenarioSnapshots, FixtureError>] = [:]

    /// The snapshots of `scenario` (registry, bus, cache, interval).
    static func get(_ scenario: String) throws -> LeakScenarioSnapshots {
        lock.lock()
        defer { lock.unlock() }
        if let hit = made[scenario] { return try hit.get() }
        let result: Result<LeakScenarioSnapshots, FixtureError>
        do { result = .success(try take(scenario)) } catch let error as FixtureError { result = .failure(error) } catch {
            result = .failure(FixtureError("\(error)"))
        }
        made[scenario] = result
        return try result.get()
    }

    private static func take(_ scenario: String) throws -> LeakScenarioSnapshots {
        let dir = try FixturePaths.temporaryDirectory("diag-leak-\(scenario)")
        let node = try FixtureProcess.node("leaks.js", arguments: [scenario, dir],
                                           environment: ["NODE_OPTIONS": "--inspect-port=0", "FIXTURE_LIFETIME": "120"])
        defer { node.stop() }
        let heap = Process()
        heap.executableURL = URL(fileURLWithPath: FixturePaths.diagExecutable)
        heap.arguments = ["heap", String(node.pid), "--count", "3", "--interval", "2s", "--gc", "-q", "-o", "\(dir)/s.heapsnapshot"]
        heap.standardOutput = FileHandle.nullDevice
        heap.standardError = FileHandle.nullDevice
        try heap.run()
        defer { if heap.isRunning { heap.terminate() } }
        // V8 writes a snapshot while JavaScript waits: a step signalled once the file exists
        // runs after that snapshot and before the next.
        for n in 1...2 {
            guard waitFor(timeout: 60, { FileManager.default.fileExists(atPath: "\(dir)/s-\(n).heapsnapshot") }) else {
                throw FixtureError("diag heap wrote no snapshot \(n) of \(scenario)")
            }
            kill(node.pid, SIGUSR2)
        }
        heap.waitUntilExit()
        guard heap.terminationStatus == 0 else { throw FixtureError("diag heap failed on \(scenario): \(heap.terminationStatus)") }
        guard FileManager.default.fileExists(atPath: "\(dir)/grown-2") else { throw FixtureError("\(scenario) did not grow twice") }
        return LeakScenarioSnapshots(directory: dir)
    }

    private static func waitFor(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}
