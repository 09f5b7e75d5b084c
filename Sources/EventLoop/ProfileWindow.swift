import Profiles

extension CPUProfile {
    /// The samples taken from `start` to `end` (µs, CLOCK_MONOTONIC), as a profile that
    /// starts at `start`: diag's own work in the target before and after the window
    /// (installing the agent, reading it) is left out.
    public func trimmed(from start: Int64, to end: Int64) -> CPUProfile {
        var samples: [Int] = []
        var deltas: [Int64] = []
        var previous = start
        for (sample, time) in zip(self.samples, sampleTimes) {
            guard time > start else { continue }
            guard time <= end else { break }
            samples.append(sample)
            deltas.append(time - previous)
            previous = time
        }
        return CPUProfile(nodes: nodes, startTime: start, endTime: max(previous, start), samples: samples, timeDeltas: deltas)
    }
}
