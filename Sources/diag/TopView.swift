import DiagSupport
import Profiles

/// What `diag top` shows and how: the sort column, per-thread sections, and the text of one frame.
struct TopView {
    /// The lines above the table: target, sampler, CPU%, diag's own cost.
    struct Header {
        var title: String
        var cpuPercent: Double?
        var cost: String
        var notes: [String] = []
    }

    var sortByTotal = false
    var perThread = false
    var paused = false
    var interactive: Bool

    /// The frame for `sections`, at most `rows` lines (sections share them when per thread).
    func render(_ sections: (all: SlidingWindowCounts.Section, threads: [SlidingWindowCounts.Section]),
                header: Header, windowSeconds: Double, rows: Int) -> [String] {
        var lines = [header.title + (paused ? "  [PAUSED]" : "")]
        let cpu = header.cpuPercent.map { "\(formatDecimal($0))%" } ?? "-"
        lines.append("target CPU \(cpu)   \(sections.all.samples) samples in the last \(formatDecimal(windowSeconds)) s   \(header.cost)")
        lines += header.notes.map { "note: \($0)" }
        if interactive { lines.append("keys: q quit  t per-thread  s self/total  space pause") }
        lines.append("")
        let columns = sortByTotal ? "TOTAL%  SELF%   TOTAL    SELF  FUNCTION (by total)" : " SELF%  TOTAL%    SELF   TOTAL  FUNCTION (by self)"
        let shown = perThread ? sections.threads : [sections.all]
        if shown.isEmpty || sections.all.samples == 0 {
            lines.append(columns)
            lines.append("(no samples yet: the target's threads were not on a CPU)")
            return lines
        }
        let budget = max(3, (rows - lines.count) / max(1, shown.count) - (perThread ? 3 : 1))
        for section in shown {
            if perThread {
                lines.append("thread \(section.tid.map(String.init) ?? "") \(section.name): \(section.samples) samples")
            }
            lines.append(columns)
            let ordered = sortByTotal ? section.byTotal : section.bySelf
            lines += ordered.prefix(budget).map(row)
            if perThread { lines.append("") }
        }
        return lines
    }

    private func row(_ row: SlidingWindowCounts.Row) -> String {
        func percent(_ share: Double) -> String { pad(formatDecimal(share * 100) + "%", 6) }
        let (first, second) = sortByTotal ? (row.totalShare, row.selfShare) : (row.selfShare, row.totalShare)
        let (firstCount, secondCount) = sortByTotal ? (row.totalSamples, row.selfSamples) : (row.selfSamples, row.totalSamples)
        return "\(percent(first))  \(percent(second))  \(pad(String(firstCount), 6))  \(pad(String(secondCount), 6))  \(row.label)"
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
