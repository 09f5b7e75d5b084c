import Foundation
import Testing
import TestSupport
@testable import Metrics

/// The text exposition writer on hand-made families, checked by Prometheus's own promtool.
@Suite struct PrometheusTextTests {
    static let families: [MetricFamily] = [
        .single("process_cpu_seconds_total", .counter, "Total user and system CPU time spent in seconds.", 1.25),
        MetricFamily(name: "nodejs_active_handles", help: "Help with a \\ backslash\nand a newline.", kind: .gauge,
                     samples: [.init(labels: [.init("type", "Quote\"Back\\slash\nline")], value: 3)]),
        MetricFamily(histogram: "http_request_duration_seconds", help: "Duration of HTTP requests in seconds.", bounds: [0.005, 0.01, 0.025],
                     series: [.init(labels: [.init("method", "GET"), .init("route", "/a/:id"), .init("status_code", "200")],
                                    counts: [1, 0, 2, 4], sum: 2.5)]),
    ]

    @Test func writesHistogramsCumulativelyWithInf() {
        let text = PrometheusText.render(Self.families)
        #expect(text.contains("""
            http_request_duration_seconds_bucket{le="0.005",method="GET",route="/a/:id",status_code="200"} 1
            http_request_duration_seconds_bucket{le="0.01",method="GET",route="/a/:id",status_code="200"} 1
            http_request_duration_seconds_bucket{le="0.025",method="GET",route="/a/:id",status_code="200"} 3
            http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/a/:id",status_code="200"} 7
            http_request_duration_seconds_sum{method="GET",route="/a/:id",status_code="200"} 2.5
            http_request_duration_seconds_count{method="GET",route="/a/:id",status_code="200"} 7
            """))
        #expect(text.contains("# TYPE http_request_duration_seconds histogram"))
        #expect(text.hasSuffix("7\n"))
    }

    @Test func escapesHelpAndLabelValues() {
        let text = PrometheusText.render(Self.families)
        #expect(text.contains("# HELP nodejs_active_handles Help with a \\\\ backslash\\nand a newline."))
        #expect(text.contains("nodejs_active_handles{type=\"Quote\\\"Back\\\\slash\\nline\"} 3"))
        #expect(PrometheusText.escapeLabelValue("a\r\nb") == "a\r\\nb")
    }

    @Test func formatsValues() {
        #expect(PrometheusText.format(3) == "3")
        #expect(PrometheusText.format(0.005) == "0.005")
        #expect(PrometheusText.format(.nan) == "NaN")
        #expect(PrometheusText.format(.infinity) == "+Inf")
        #expect(PrometheusText.format(-.infinity) == "-Inf")
        #expect(Double(PrometheusText.format(1e-7)) == 1e-7)
    }

    @Test(.enabled(if: Command.exists("promtool"))) func promtoolAcceptsTheOutput() throws {
        let directory = try FixturePaths.temporaryDirectory("metrics-text")
        let file = "\(directory)/metrics.txt"
        try PrometheusText.render(Self.families).write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Command.run("/bin/sh", ["-c", "promtool check metrics < \(file)"])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
    }

    @Test func readsProcessMetricsOfThisProcess() throws {
        let metrics = try ProcessMetrics.read(pid: getpid())
        #expect(metrics.residentBytes > 1_000_000)
        #expect(metrics.openFileDescriptors ?? 0 >= 3)
        #expect(metrics.maxFileDescriptors ?? 0 >= 64)
        let now = Date().timeIntervalSince1970
        #expect(metrics.startTimeSeconds > now - 3600 && metrics.startTimeSeconds <= now + 1)
    }
}
