import DiagSupport

extension NativeCPUReport {
    /// The summary as diag prints it after a capture.
    public func renderText() -> String {
        var text = "Sampled process \(pid) (\(process)) \(sampler == "mixed" ? "natively with JavaScript frames" : "natively") for \(formatDecimal(durationSeconds, digits: 2))s at \(rate) Hz: "
        text += "\(sampleCount) samples, \(ended).\n"
        text += "Wrote \(format) to \(output == "-" ? "standard output" : output)\n"
        if let counts = javaScriptFrames {
            let share = namedJavaScriptFrameShare.map { formatPercent($0) } ?? "-"
            text += "JavaScript frames: \(counts.named) named, \(counts.unknown) kept as (JS unknown); named share \(share) "
            text += "(read from V8's heap, no inspector opened)\n"
        }
        for message in messages { text += "note: \(message)\n" }
        var threadTable = TextTable(["TID", "THREAD", "SAMPLES", "IDLE", "TOP FUNCTION"], alignments: [.right, .left, .right, .right, .left])
        for thread in threads {
            let top = thread.topFunctions.first.map { "\($0.function) \(formatPercent($0.selfShare))" } ?? "-"
            threadTable.add([String(thread.tid), thread.name, String(thread.samples), String(thread.idleSamples), top])
        }
        text += "\nSamples per thread:\n" + threadTable.render(indent: "  ")
        text += "\nTop functions by self time:\n" + table(topBySelf, selfFirst: true)
        text += "\nTop functions by total time:\n" + table(topByTotal, selfFirst: false)
        text += impactText()
        text += "  Symbolized \(symbolization.uniqueAddresses) distinct addresses in \(formatDecimal(symbolization.milliseconds)) ms; "
        text += "post-processing took \(formatDecimal(postProcessingMilliseconds)) ms.\n"
        return text
    }

    /// What sampling cost the target: nothing stopped (perf_event), or the stop times (ptrace).
    private func impactText() -> String {
        var text: String
        switch impact.method {
        case .perfEvent:
            text = "\nImpact on the target: sampled by the kernel's perf_event CPU clock; threads were never stopped "
            text += "(registers and stack copied from the timer interrupt).\n"
            text += "  \(impact.samplesTaken) samples taken, \(impact.lostSamples) lost, \(impact.failedSamples) failed.\n"
        case .ptrace:
            let stop = impact.stopMicroseconds
            text = "\nImpact on the target (sampled with ptrace): each sample stopped one thread for \(formatDecimal(stop.p50)) µs (p50), "
            text += "\(formatDecimal(stop.p99)) µs (p99), \(formatDecimal(stop.max)) µs (max); "
            text += "\(formatPercent(impact.stoppedShare)) of each sampled thread's time.\n"
            let latency = impact.interruptLatencyMicroseconds
            text += "  Threads took \(formatDecimal(latency.p50)) µs (p50), \(formatDecimal(latency.p99)) µs (p99) to stop after being asked.\n"
            text += "  \(impact.samplesTaken) samples taken, \(impact.lateSamples) late, \(impact.missedTicks) ticks missed, "
            text += "\(impact.failedSamples) failed.\n"
        }
        return text
    }

    private func table(_ rows: [FunctionStatistics.Row], selfFirst: Bool) -> String {
        var table = TextTable(selfFirst ? ["SELF", "TOTAL", "SAMPLES", "FUNCTION"] : ["TOTAL", "SELF", "SAMPLES", "FUNCTION"],
                              alignments: [.right, .right, .right, .left])
        for row in rows {
            let shares = [formatPercent(row.selfShare), formatPercent(row.totalShare)]
            table.add((selfFirst ? shares : shares.reversed()) + [String(selfFirst ? row.selfSamples : row.totalSamples), row.label])
        }
        return table.render(indent: "  ")
    }
}
