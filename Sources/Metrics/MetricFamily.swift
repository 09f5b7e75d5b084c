/// One metric of the Prometheus data model: a name, its help text, its type and its series.
/// Histograms keep their buckets per series; counters and gauges one value per label set.
public struct MetricFamily: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// One series of a counter or gauge.
    public struct Sample: Sendable, Equatable {
        public var labels: [Label]
        public var value: Double

        public init(labels: [Label] = [], value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    /// One series of a histogram: the count of observations in each bucket (not cumulative;
    /// `counts[i]` is the number with `bounds[i-1] < value <= bounds[i]`, and the last entry,
    /// one past `bounds`, counts those above the largest bound), their sum and total count.
    public struct HistogramSeries: Sendable, Equatable {
        public var labels: [Label]
        public var counts: [Int]
        public var sum: Double

        public init(labels: [Label], counts: [Int], sum: Double) {
            self.labels = labels
            self.counts = counts
            self.sum = sum
        }

        public var count: Int { counts.reduce(0, +) }
    }

    public struct Label: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var name: String
    public var help: String
    public var kind: Kind
    public var samples: [Sample]
    /// Upper bounds of a histogram's buckets, ascending, without +Inf.
    public var bounds: [Double]
    public var histograms: [HistogramSeries]

    public init(name: String, help: String, kind: Kind, samples: [Sample] = []) {
        self.name = name
        self.help = help
        self.kind = kind
        self.samples = samples
        bounds = []
        histograms = []
    }

    public init(histogram name: String, help: String, bounds: [Double], series: [HistogramSeries]) {
        self.name = name
        self.help = help
        kind = .histogram
        samples = []
        self.bounds = bounds
        histograms = series
    }

    /// A family with one unlabelled sample.
    public static func single(_ name: String, _ kind: Kind, _ help: String, _ value: Double) -> MetricFamily {
        MetricFamily(name: name, help: help, kind: kind, samples: [Sample(value: value)])
    }
}
