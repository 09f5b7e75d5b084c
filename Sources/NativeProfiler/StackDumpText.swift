import DiagSupport

extension StackDump {
    /// The dump as `diag stack` prints it: one block per group of identical stacks.
    public func renderText() -> String {
        var text = "Process \(pid) (\(process)): \(threads.count) threads, \(groups.count) distinct stacks\n"
        let byTID = Dictionary(threads.map { ($0.tid, $0) }, uniquingKeysWith: { first, _ in first })
        for group in groups {
            let members = group.tids.compactMap { byTID[$0] }
            let names = members.map { "\($0.tid) \($0.name) \($0.state)" }
            text += "\n" + (group.count == 1 ? "Thread " : "\(group.count) threads: ") + names.joined(separator: ", ") + "\n"
            if group.frames.isEmpty, let note = members.first?.note { text += "  (\(note))\n" }
            var table = TextTable(["#", "FUNCTION", "MODULE+OFFSET"], alignments: [.right, .left, .left])
            for (index, frame) in group.frames.enumerated() {
                table.add(["#\(index)", (frame.inline ? "[inline] " : "") + frame.label, frame.location])
            }
            if !group.frames.isEmpty {
                // The header row is left out: frames read like eu-stack's.
                text += table.render(indent: "  ").split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
            }
        }
        return text
    }
}
