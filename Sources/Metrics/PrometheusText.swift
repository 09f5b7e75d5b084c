/// The Prometheus text exposition format, version 0.0.4: `# HELP` and `# TYPE` lines, then one
/// line per series; histograms as cumulative `_bucket{le="..."}` lines ending with `le="+Inf"`,
/// then `_sum` and `_count`. Families are separated by a blank line, as prom-client writes them.
public enum PrometheusText {
    /// The Content-Type of a scrape response in this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ families: [MetricFamily]) -> String {
        families.map(render).joined(separator: "\n\n") + "\n"
    }

    static func render(_ family: MetricFamily) -> String {
        var lines = ["# HELP \(family.name) \(escapeHelp(family.help))", "# TYPE \(family.name) \(family.kind.rawValue)"]
        switch family.kind {
        case .counter, .gauge:
            for sample in family.samples {
                lines.append(line(family.name, sample.labels, sample.value))
            }
        case .histogram:
            for series in family.histograms {
                var cumulative = 0
                for (index, bound) in family.bounds.enumerated() {
                    cumulative += index < series.counts.count ? series.counts[index] : 0
                    lines.append(line(family.name + "_bucket", [.init("le", format(bound))] + series.labels, Double(cumulative)))
                }
                lines.append(line(family.name + "_bucket", [.init("le", "+Inf")] + series.labels, Double(series.count)))
                lines.append(line(family.name + "_sum", series.labels, series.sum))
                lines.append(line(family.name + "_count", series.labels, Double(series.count)))
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func line(_ name: String, _ labels: [MetricFamily.Label], _ value: Double) -> String {
        guard !labels.isEmpty else { return "\(name) \(format(value))" }
        let pairs = labels.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }
        return "\(name){\(pairs.joined(separator: ","))} \(format(value))"
    }

    /// A sample value: integers without a fraction, `NaN`, `+Inf`, `-Inf`, else the shortest
    /// decimal that reads back as the same double.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// HELP text escapes backslash and line feed.
    public static func escapeHelp(_ text: String) -> String {
        escape(text, quotes: false)
    }

    /// Label values escape backslash, double quote and line feed.
    public static func escapeLabelValue(_ text: String) -> String {
        escape(text, quotes: true)
    }

    /// Works on Unicode scalars: "\r\n" is one Character in Swift, but only its "\n" is escaped.
    private static func escape(_ text: String, quotes: Bool) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": result.append(contentsOf: "\\n".unicodeScalars)
            case "\"" where quotes: result.append(contentsOf: "\\\"".unicodeScalars)
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
