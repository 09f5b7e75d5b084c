import Foundation

/// A snapshot the Node.js collector returned (see `NodeCollectorSource`), turned into
/// prom-client's `nodejs_*` families and diag's `http_request_duration_seconds`.
public struct NodeMetrics {
    /// The snapshot as decoded from JSON.
    public let snapshot: [String: Any]

    public init(snapshot: Any?) {
        self.snapshot = snapshot as? [String: Any] ?? [:]
    }

    /// The used V8 heap, for `diag watch`.
    public var heapUsedBytes: Double { number(snapshot["heapUsed"]) ?? 0 }
    /// The 99th percentile of the event-loop delay since the last reset, for `diag watch`.
    public var loopDelayP99Seconds: Double { number(loop["p99"]) ?? 0 }
    /// How many event-loop delay samples that percentile rests on.
    public var loopDelaySampleCount: Double { number(loop["count"]) ?? 0 }

    private var loop: [String: Any] { snapshot["loop"] as? [String: Any] ?? [:] }

    /// The families in prom-client's order (after the process_* ones), then the HTTP histogram.
    public var families: [MetricFamily] {
        var result: [MetricFamily] = [
            gauge("nodejs_eventloop_lag_seconds", "Lag of event loop in seconds.", loop["lag"]),
            gauge("nodejs_eventloop_lag_min_seconds", "The minimum recorded event loop delay.", loop["min"]),
            gauge("nodejs_eventloop_lag_max_seconds", "The maximum recorded event loop delay.", loop["max"]),
            gauge("nodejs_eventloop_lag_mean_seconds", "The mean of the recorded event loop delays.", loop["mean"]),
            gauge("nodejs_eventloop_lag_stddev_seconds", "The standard deviation of the recorded event loop delays.", loop["stddev"]),
            gauge("nodejs_eventloop_lag_p50_seconds", "The 50th percentile of the recorded event loop delays.", loop["p50"]),
            gauge("nodejs_eventloop_lag_p90_seconds", "The 90th percentile of the recorded event loop delays.", loop["p90"]),
            gauge("nodejs_eventloop_lag_p99_seconds", "The 99th percentile of the recorded event loop delays.", loop["p99"]),
        ].compactMap { $0 }
        if snapshot["resources"] is [String: Any] {
            result += byType("nodejs_active_resources", "Number of active resources that are currently keeping the event loop alive, "
                             + "grouped by async resource type.", snapshot["resources"])
            result += [gauge("nodejs_active_resources_total", "Total number of active resources.", snapshot["resourcesTotal"])].compactMap { $0 }
        }
        if snapshot["handles"] is [String: Any] {
            result += byType("nodejs_active_handles", "Number of active libuv handles grouped by handle type. Every handle type is C++ class name.",
                             snapshot["handles"])
            result += [gauge("nodejs_active_handles_total", "Total number of active handles.", snapshot["handlesTotal"])].compactMap { $0 }
        }
        if snapshot["requests"] is [String: Any] {
            result += byType("nodejs_active_requests", "Number of active libuv requests grouped by request type. Every request type is C++ class name.",
                             snapshot["requests"])
            result += [gauge("nodejs_active_requests_total", "Total number of active requests.", snapshot["requestsTotal"])].compactMap { $0 }
        }
        result += [
            gauge("nodejs_heap_size_total_bytes", "Process heap size from Node.js in bytes.", snapshot["heapTotal"]),
            gauge("nodejs_heap_size_used_bytes", "Process heap size used from Node.js in bytes.", snapshot["heapUsed"]),
            gauge("nodejs_external_memory_bytes", "Node.js external memory size in bytes.", snapshot["external"]),
        ].compactMap { $0 }
        result += heapSpaces
        if let version = snapshot["version"] as? String {
            let parts = version.dropFirst(version.hasPrefix("v") ? 1 : 0).split(separator: ".").map(String.init)
            let labels = [MetricFamily.Label("version", version)]
                + zip(["major", "minor", "patch"], parts + ["", "", ""]).map { MetricFamily.Label($0, $1) }
            result.append(MetricFamily(name: "nodejs_version_info", help: "Node.js version info.", kind: .gauge,
                                       samples: [.init(labels: labels, value: 1)]))
        }
        if let gc = histogram("nodejs_gc_duration_seconds", "Garbage collection duration by kind, one of major, minor, incremental or weakcb.",
                              snapshot["gc"], labelOrder: ["kind"]) {
            result.append(gc)
        }
        if let http = histogram("http_request_duration_seconds", "Duration of HTTP requests in seconds.", snapshot["http"],
                                labelOrder: ["method", "route", "status_code"]) {
            result.append(http)
        }
        return result
    }

    private var heapSpaces: [MetricFamily] {
        let spaces = snapshot["spaces"] as? [[String: Any]] ?? []
        return ["total", "used", "available"].map { field in
            MetricFamily(name: "nodejs_heap_space_size_\(field)_bytes", help: "Process heap space size \(field) from Node.js in bytes.",
                         kind: .gauge, samples: spaces.compactMap { space in
                             guard let name = space["space"] as? String, let value = number(space[field]) else { return nil }
                             return .init(labels: [.init("space", name)], value: value)
                         })
        }
    }

    private func gauge(_ name: String, _ help: String, _ value: Any?) -> MetricFamily? {
        number(value).map { MetricFamily.single(name, .gauge, help, $0) }
    }

    private func byType(_ name: String, _ help: String, _ counts: Any?) -> [MetricFamily] {
        let table = counts as? [String: Any] ?? [:]
        let samples = table.keys.sorted().compactMap { type in number(table[type]).map { MetricFamily.Sample(labels: [.init("type", type)], value: $0) } }
        return [MetricFamily(name: name, help: help, kind: .gauge, samples: samples)]
    }

    private func histogram(_ name: String, _ help: String, _ value: Any?, labelOrder: [String]) -> MetricFamily? {
        guard let data = value as? [String: Any], let bounds = (data["bounds"] as? [Any])?.compactMap(number) else { return nil }
        let series: [MetricFamily.HistogramSeries] = (data["series"] as? [[String: Any]] ?? []).map { entry in
            let labels = entry["labels"] as? [String: Any] ?? [:]
            return .init(labels: labelOrder.map { MetricFamily.Label($0, labels[$0].map { "\($0)" } ?? "") },
                         counts: (entry["counts"] as? [Any] ?? []).map { number($0).map { Int($0) } ?? 0 },
                         sum: number(entry["sum"]) ?? 0)
        }
        let ordered = series.sorted { $0.labels.map(\.value).lexicographicallyPrecedes($1.labels.map(\.value)) }
        return MetricFamily(histogram: name, help: help, bounds: bounds, series: ordered)
    }
}

/// A JSON number (NSNumber after JSONSerialization), or nil.
func number(_ value: Any?) -> Double? {
    (value as? NSNumber)?.doubleValue
}
