/// Writes a `SampledProfile` as a Chrome DevTools `.cpuprofile`. A `.cpuprofile` has one
/// call tree; with several threads, each thread's samples sit under a node named
/// `NAME (TID)` directly below `(root)`, and the samples of all threads are merged in time
/// order. A profile of one thread (`diag cpu --thread`) has no such node.
/// Samples of threads that were off CPU end in an `(idle)` node below their stack.
public enum CPUProfileExporter {
    public static func cpuProfile(_ profile: SampledProfile) -> CPUProfile {
        var tree = CallTreeBuilder(profile: profile)
        let separateThreads = profile.threads.count > 1
        var timed: [(time: Int64, node: Int)] = []
        timed.reserveCapacity(profile.threads.reduce(0) { $0 + $1.samples.count })
        for thread in profile.threads {
            let base = separateThreads ? tree.threadNode(thread) : 0
            for sample in thread.samples {
                timed.append((sample.time, tree.add(stack: sample.stack, isIdle: sample.isIdle, below: base)))
            }
        }
        timed.sort { $0.time < $1.time }
        var previous = profile.startTime
        var deltas: [Int64] = []
        deltas.reserveCapacity(timed.count)
        for entry in timed {
            deltas.append(entry.time - previous)
            previous = entry.time
        }
        return CPUProfile(nodes: tree.profileNodes(), startTime: profile.startTime,
                          endTime: max(profile.endTime, previous), samples: timed.map { $0.node + 1 }, timeDeltas: deltas)
    }
}
