import Foundation

/// The file formats a sampled profile can be written in.
public enum ProfileFormat: String, CaseIterable, Sendable {
    /// Chrome DevTools `.cpuprofile` (one call tree; threads as nodes below the root).
    case cpuprofile
    /// Trace Event Format, one track per thread (DevTools Performance panel, Perfetto).
    case trace
    /// Folded stacks for flamegraph.pl and inferno.
    case collapsed
    /// speedscope's own format, one profile per thread.
    case speedscope
    /// pprof's gzipped profile.proto (go tool pprof, Pyroscope, Parca, Grafana).
    case pprof

    /// The file name extension of the default output name.
    public var fileExtension: String {
        switch self {
        case .cpuprofile: return "cpuprofile"
        case .trace: return "trace.json"
        case .collapsed: return "folded"
        case .speedscope: return "speedscope.json"
        case .pprof: return "pb.gz"
        }
    }

    /// The profile in this format.
    public func encode(_ profile: SampledProfile) throws -> Data {
        switch self {
        case .cpuprofile: return CPUProfileExporter.cpuProfile(profile).encodedJSON()
        case .trace: return try TraceEventExporter.json(profile)
        case .collapsed: return Data(CollapsedStacksExporter.text(profile).utf8)
        case .speedscope: return SpeedscopeExporter.json(profile)
        case .pprof: return try PprofExporter.gzipped(profile)
        }
    }
}
