import DiagSupport

extension ProfileSummary {
    /// The top-functions tables as diag prints them after a capture.
    public func renderTopFunctions(limit: Int = 10) -> String {
        var text = "Top functions by self time:\n"
        var bySelfTable = TextTable(["SELF", "TOTAL", "SAMPLES", "FUNCTION"], alignments: [.right, .right, .right, .left])
        for share in bySelf.prefix(limit) where share.selfSamples > 0 {
            bySelfTable.add([formatPercent(share.selfShare), formatPercent(share.totalShare), String(share.selfSamples), share.label])
        }
        text += bySelfTable.render(indent: "  ")
        text += "\nTop functions by total time:\n"
        var byTotalTable = TextTable(["TOTAL", "SELF", "SAMPLES", "FUNCTION"], alignments: [.right, .right, .right, .left])
        for share in byTotal.prefix(limit) {
            byTotalTable.add([formatPercent(share.totalShare), formatPercent(share.selfShare), String(share.totalSamples), share.label])
        }
        text += byTotalTable.render(indent: "  ")
        return text
    }
}
