import CUnwindShim

/// The bookkeeping of one sampling run: the tick schedule, the samples so far and the
/// measurements of diag's own impact.
struct SamplingLoopState {
    let start: Int64
    let interval: Int64
    let deadline: Int64
    let rate: Int
    private var tick: Int64 = 0
    var samples = RawSamples()
    var stopNanoseconds: [Int64] = []
    var interruptNanoseconds: [Int64] = []
    /// The phases of each successful sample's stop: registers, stack copy, resume.
    var phaseNanoseconds: (registers: [Int64], stackCopy: [Int64], resume: [Int64]) = ([], [], [])
    var lateSamples = 0
    var missedTicks = 0
    var failedSamples = 0
    var stackRereads = 0
    var threadsStarted: [Int32] = []
    var threadsExited: [Int32] = []
    var endReason = NativeCapture.EndReason.completed

    init(configuration: SamplerConfiguration) {
        start = diag_monotonic_ns()
        rate = configuration.rate
        interval = 1_000_000_000 / Int64(max(configuration.rate, 1))
        deadline = start + Int64(configuration.duration * 1e9)
    }

    /// Sleeps until the next tick and returns its scheduled time (ns), or nil when the
    /// capture's time is up. When the sampler has fallen a whole interval behind, the ticks
    /// it missed are skipped and counted rather than sampled in a burst. A seized thread
    /// that stops on its own meanwhile (a signal for it) is handed to `releaseStops` at once,
    /// which returns the threads found exited.
    mutating func waitForNextTick(releaseStops: () -> [Int32]) -> Int64? {
        var scheduled = start + tick * interval
        let now = diag_monotonic_ns()
        if now - scheduled > interval {
            let behind = (now - scheduled) / interval
            missedTicks += Int(behind)
            tick += behind
            scheduled = start + tick * interval
        }
        guard scheduled < deadline else { return nil }
        tick += 1
        // Returns early on SIGINT/SIGTERM; the caller checks for a stop request.
        while diag_sleep_until(scheduled) == 1 { threadsExited += releaseStops() }
        return scheduled
    }

    /// Notes one successful sample's stop time and lateness.
    mutating func record(_ timing: StopTiming, time: Int64, scheduled: Int64) {
        stopNanoseconds.append(timing.stop)
        interruptNanoseconds.append(timing.interrupt)
        phaseNanoseconds.registers.append(timing.registers)
        phaseNanoseconds.stackCopy.append(timing.stackCopy)
        phaseNanoseconds.resume.append(timing.resume)
        if !timing.hintServed { stackRereads += 1 }
        if time * 1000 - scheduled > interval / 2 { lateSamples += 1 }
    }

    func capture(pid: Int32, processName: String, liveMemoryReads: UInt64) -> NativeCapture {
        let end = min(diag_monotonic_ns(), max(deadline, start))
        let duration = Double(end - start)
        let stopped = stopNanoseconds.reduce(0, +)
        let sampledThreads = max(1, samples.threads.filter { !$0.samples.isEmpty }.count)
        func microseconds(_ nanoseconds: [Int64]) -> SamplerImpact.Percentiles {
            SamplerImpact.Percentiles(nanoseconds.map { Double($0) / 1000 })
        }
        let impact = SamplerImpact(
            method: .ptrace,
            stopMicroseconds: microseconds(stopNanoseconds),
            stopPhasesMicroseconds: SamplerImpact.StopPhases(registers: microseconds(phaseNanoseconds.registers),
                                                             stackCopy: microseconds(phaseNanoseconds.stackCopy),
                                                             resume: microseconds(phaseNanoseconds.resume)),
            interruptLatencyMicroseconds: microseconds(interruptNanoseconds),
            samplesTaken: stopNanoseconds.count,
            lateSamples: lateSamples,
            missedTicks: missedTicks,
            failedSamples: failedSamples,
            stackRereads: stackRereads,
            stoppedShare: duration > 0 ? Double(stopped) / duration / Double(sampledThreads) : 0)
        return NativeCapture(pid: pid, processName: processName, samples: samples, startTime: start / 1000,
                             endTime: end / 1000, rate: rate, endReason: endReason, threadsStarted: threadsStarted,
                             threadsExited: threadsExited, impact: impact, liveMemoryReads: liveMemoryReads)
    }
}
