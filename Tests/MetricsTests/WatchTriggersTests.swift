import Testing
@testable import Metrics

/// The trigger logic of diag watch on hand-made sample sequences.
@Suite struct WatchTriggersTests {
    @Test func lagFiresOnceAMinute() {
        var triggers = WatchTriggers(lagSeconds: 0.2, cpuPercent: nil, heapGrowthBytes: nil)
        var fired: [Double] = []
        for second in 1...130 {
            let lag: Double? = second % 5 == 0 ? 0.3 : nil
            if !triggers.add(time: Double(second), cpuSeconds: 0, heapUsedBytes: 1e6, lagP99Seconds: lag).isEmpty { fired.append(Double(second)) }
        }
        #expect(fired == [5, 65, 125])
        var quiet = WatchTriggers(lagSeconds: 0.2, cpuPercent: nil, heapGrowthBytes: nil)
        #expect(quiet.add(time: 5, cpuSeconds: 0, heapUsedBytes: 0, lagP99Seconds: 0.2).isEmpty)
    }

    @Test func cpuIsMeasuredOverFiveSeconds() {
        var triggers = WatchTriggers(lagSeconds: nil, cpuPercent: 90, heapGrowthBytes: nil)
        var firings: [WatchFiring] = []
        for second in 0...6 {
            // 0.95 CPU seconds per second.
            firings += triggers.add(time: Double(second), cpuSeconds: 0.95 * Double(second), heapUsedBytes: 0, lagP99Seconds: nil)
        }
        #expect(firings.map(\.reason) == ["CPU 95% over 5s > 90%"])
        #expect(firings.first?.action == .cpuProfile)
        var idle = WatchTriggers(lagSeconds: nil, cpuPercent: 90, heapGrowthBytes: nil)
        for second in 0...10 { #expect(idle.add(time: Double(second), cpuSeconds: 0.5 * Double(second), heapUsedBytes: 0, lagP99Seconds: nil).isEmpty) }
    }

    @Test func heapGrowthRebasesAfterFiring() {
        var triggers = WatchTriggers(lagSeconds: nil, cpuPercent: nil, heapGrowthBytes: 50e6)
        #expect(triggers.add(time: 0, cpuSeconds: 0, heapUsedBytes: 10e6, lagP99Seconds: nil).isEmpty)
        #expect(triggers.add(time: 1, cpuSeconds: 0, heapUsedBytes: 59e6, lagP99Seconds: nil).isEmpty)
        let firings = triggers.add(time: 2, cpuSeconds: 0, heapUsedBytes: 61e6, lagP99Seconds: nil)
        #expect(firings == [WatchFiring(action: .heapSnapshots, reason: "heap used grew 51.0MB >= 50.0MB")])
        // Another 50 MB is needed, and a minute must pass.
        #expect(triggers.add(time: 70, cpuSeconds: 0, heapUsedBytes: 100e6, lagP99Seconds: nil).isEmpty)
        #expect(triggers.add(time: 71, cpuSeconds: 0, heapUsedBytes: 112e6, lagP99Seconds: nil).map(\.action) == [.heapSnapshots])
    }
}
