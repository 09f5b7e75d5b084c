import DiagSupport
import Foundation

/// The events a probe received, aggregated per probe for the text table, the summary line and
/// the Trace Event file.
struct ProbeReport {
    /// Per-probe figures for the text table and the JSON summary.
    struct ProbeStats: Encodable {
        var probe: String
        var kind: String
        var calls = 0
        var errors = 0
        var durations: [Double] = []
        var previewCounts: [String: Int] = [:]
        var rateLimited = 0

        enum CodingKeys: String, CodingKey { case probe, kind, calls, errors, durationMilliseconds, topPreviews, rateLimited }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(probe, forKey: .probe)
            try container.encode(kind, forKey: .kind)
            try container.encode(calls, forKey: .calls)
            try container.encode(errors, forKey: .errors)
            if kind == "call" { try container.encode(durationSummary, forKey: .durationMilliseconds) }
            try container.encode(topPreviews(3).map(\.preview), forKey: .topPreviews)
            if kind == "log" { try container.encode(rateLimited, forKey: .rateLimited) }
        }

        var durationSummary: [String: Double] {
            let sorted = durations.sorted()
            guard !sorted.isEmpty else { return [:] }
            return ["p50": Self.percentile(sorted, 0.5), "p99": Self.percentile(sorted, 0.99), "max": sorted.last!]
        }

        /// Nearest-rank percentile of sorted values.
        static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
            let rank = Int((fraction * Double(sorted.count)).rounded(.up))
            return sorted[min(sorted.count - 1, max(0, rank - 1))]
        }

        func topPreviews(_ count: Int) -> [(preview: String, count: Int)] {
            previewCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(count).map { (preview: $0.key, count: $0.value) }
        }
    }

    private(set) var stats: [ProbeStats]
    private(set) var events: [[String: Any]] = []
    private(set) var eventCount = 0
    /// Events the target dropped because its queue was full, and diag's own hook errors it caught.
    var dropped = 0
    var hookErrors = 0
    /// Events received after --max-events was reached are counted here, not kept.
    private(set) var overLimit = 0
    let maxEvents: Int
    let keepEvents: Bool

    init(functions: [String], logpoints: [String], maxEvents: Int, keepEvents: Bool) {
        stats = functions.map { ProbeStats(probe: $0, kind: "call") } + logpoints.map { ProbeStats(probe: $0, kind: "log") }
        self.maxEvents = maxEvents
        self.keepEvents = keepEvents
    }

    var isFull: Bool { eventCount >= maxEvents }

    /// Adds one event from the target; returns it when it is kept (under --max-events).
    @discardableResult
    mutating func add(_ event: [String: Any]) -> [String: Any]? {
        guard eventCount < maxEvents else { overLimit += 1; return nil }
        eventCount += 1
        if keepEvents { events.append(event) }
        let name = event["probe"] as? String ?? ""
        if let index = stats.firstIndex(where: { $0.probe == name }) {
            stats[index].calls += 1
            if event["threw"] as? Bool == true { stats[index].errors += 1 }
            if let duration = event["durationMilliseconds"] as? Double { stats[index].durations.append(duration) }
            let shown = event["kind"] as? String == "log"
                ? Self.render(event["value"])
                : "(" + ((event["args"] as? [Any]) ?? []).map(Self.render).joined(separator: ", ") + ")"
            stats[index].previewCounts[String(shown.prefix(120)), default: 0] += 1
        }
        return event
    }

    mutating func setRateLimited(_ skipped: [Int]) {
        let logIndices = stats.indices.filter { stats[$0].kind == "log" }
        for (index, count) in zip(logIndices, skipped) { stats[index].rateLimited = count }
    }

    /// A preview as text: JSON values as JSON, `{type, preview}` objects as their preview.
    static func render(_ value: Any?) -> String {
        if let object = value as? [String: Any], let preview = object["preview"] as? String { return preview }
        return jsonText(value ?? NSNull())
    }

    static func jsonText(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject([value]),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The `--json` summary line.
    func summaryLine(pid: Int32, seconds: Double) -> [String: Any] {
        var line: [String: Any] = [
            "summary": true, "pid": Int(pid), "events": eventCount, "dropped": dropped + overLimit,
            "hookErrors": hookErrors, "durationSeconds": seconds,
        ]
        if let data = try? JSONEncoder().encode(stats), let probes = try? JSONSerialization.jsonObject(with: data) { line["probes"] = probes }
        return line
    }

    /// The text form: one table per probe.
    func text(pid: Int32, seconds: Double) -> String {
        var text = "Probed \(pid) for \(formatDecimal(seconds))s: \(eventCount) events, \(dropped + overLimit) dropped"
        text += hookErrors > 0 ? ", \(hookErrors) errors in diag's hooks (caught)\n" : "\n"
        for stat in stats {
            text += "\n\(stat.probe)  (\(stat.kind == "call" ? "function" : "logpoint"))\n"
            if stat.kind == "call" {
                var table = TextTable(["CALLS", "ERRORS", "P50", "P99", "MAX"], alignments: [.right, .right, .right, .right, .right])
                let summary = stat.durationSummary
                let ms = { (key: String) in summary[key].map { Self.formatMilliseconds($0) } ?? "-" }
                table.add([String(stat.calls), String(stat.errors), ms("p50"), ms("p99"), ms("max")])
                text += table.render(indent: "  ")
            } else {
                text += "  \(stat.calls) hits" + (stat.rateLimited > 0 ? ", \(stat.rateLimited) skipped by the rate limit\n" : "\n")
            }
            let top = stat.topPreviews(5)
            if !top.isEmpty {
                text += "  most frequent \(stat.kind == "call" ? "arguments" : "values"):\n"
                for entry in top { text += "    \(String(repeating: " ", count: max(0, 6 - String(entry.count).count)))\(entry.count)  \(entry.preview)\n" }
            }
        }
        return text
    }

    static func formatMilliseconds(_ value: Double) -> String {
        value < 1 ? "\(formatDecimal(value * 1000))us" : "\(formatDecimal(value, digits: 2))ms"
    }

    /// A Trace Event file: one complete slice per call, on one track per request (track 0 outside requests).
    func traceEvents(pid: Int32) -> String {
        var trace: [[String: Any]] = []
        var named: Set<Int> = []
        for event in events {
            let request = event["request"] as? [String: Any]
            let track = request?["id"] as? Int ?? 0
            if !named.contains(track) {
                named.insert(track)
                let label = request.map { "request \(track): \($0["method"] as? String ?? "") \($0["url"] as? String ?? "")" } ?? "outside requests"
                trace.append(["name": "thread_name", "cat": "__metadata", "ph": "M", "pid": Int(pid), "tid": track, "args": ["name": label]])
            }
            let start = (event["timeMilliseconds"] as? Double ?? 0) * 1000
            var slice: [String: Any] = ["name": event["probe"] as? String ?? "", "cat": "probe", "pid": Int(pid), "tid": track, "ts": start]
            var args: [String: Any] = [:]
            if event["kind"] as? String == "log" {
                slice["ph"] = "i"
                slice["s"] = "t"
                args["value"] = Self.render(event["value"])
            } else {
                slice["ph"] = "X"
                slice["dur"] = (event["durationMilliseconds"] as? Double ?? 0) * 1000
                args["args"] = ((event["args"] as? [Any]) ?? []).map(Self.render)
                args["result"] = Self.render(event["result"])
                args["threw"] = event["threw"] as? Bool ?? false
            }
            slice["args"] = args
            trace.append(slice)
        }
        return Self.jsonText(["traceEvents": trace, "displayTimeUnit": "ms"]) + "\n"
    }
}
