/// Writes a `SampledProfile` as folded stacks, the input of flamegraph.pl and inferno: one
/// line per distinct stack, `frame;frame;frame COUNT`, outermost first. With several threads
/// each stack starts with its thread, `NAME (TID)`; off-CPU samples end in `(idle)`.
public enum CollapsedStacksExporter {
    public static func text(_ profile: SampledProfile) -> String {
        let separateThreads = profile.threads.count > 1
        var lines: [String] = []
        for thread in profile.threads {
            var counts: [Int: (stack: Int, idle: Bool, count: Int)] = [:]
            var order: [Int] = []
            for sample in thread.samples {
                let key = sample.stack * 2 + (sample.isIdle ? 1 : 0)
                if counts[key] == nil {
                    counts[key] = (sample.stack, sample.isIdle, 0)
                    order.append(key)
                }
                counts[key]!.count += 1
            }
            for key in order {
                let entry = counts[key]!
                var frames = profile.stacks[entry.stack].map { clean(profile.functions[profile.locations[$0].function].name) }
                if separateThreads { frames.insert(clean(thread.label), at: 0) }
                if entry.idle { frames.append(SampledProfile.idleFunctionName) }
                lines.append(frames.joined(separator: ";") + " \(entry.count)")
            }
        }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }

    /// Frame names may not contain the separator or a line break.
    private static func clean(_ name: String) -> String {
        String(name.map { $0 == ";" ? ":" : ($0 == "\n" ? " " : $0) })
    }
}
