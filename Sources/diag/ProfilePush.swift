import DiagSupport
import Foundation
import Profiles

/// `diag cpu --push URL`: sends a profile to a Pyroscope-compatible collector, as
/// `POST URL/ingest?name=…&from=…&until=…&format=pprof&sampleRate=…&spyName=diag` with the
/// gzipped profile.proto as the body (`application/octet-stream`; Pyroscope needs a
/// multipart form only for custom sample types, and samples/count + cpu/nanoseconds are
/// the standard `cpu` type). Pyroscope appends the profile type to the name: `app` is
/// shown as `app.cpu`, `app{env=prod}` as `app.cpu{env=prod}`.
struct ProfilePush {
    /// Retries after the first attempt, on connection errors and 5xx answers.
    static let retries = 3
    /// Seconds before each retry.
    static let backoffSeconds = [0.5, 1.0, 2.0]

    /// What `--json` reports of a push.
    struct Report: Encodable {
        var url: String
        var name: String
        var status: Int
        var attempts: Int
        var bytes: Int
    }

    let url: String
    let endpoint: HTTPPost.Endpoint
    let name: String

    init(url: String, name: String) throws {
        self.url = url
        endpoint = try HTTPPost.Endpoint(parsing: url)
        self.name = name
    }

    /// The application name from a process name: characters Pyroscope's names do not take become `_`.
    static func defaultName(processName: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        let name = String(processName.map { allowed.contains($0) ? $0 : "_" })
        return name.isEmpty ? "diag" : name
    }

    /// Sends `profile` as pprof; `sampleRate` is the requested samples per second.
    func send(_ profile: SampledProfile, sampleRate: Int) throws -> Report {
        let offset = WallClock.monotonicOffsetNanoseconds()
        let body = try PprofExporter.gzipped(profile)
        let from = (profile.startTime * 1000 + offset) / 1_000_000_000
        let until = max(from + 1, (profile.endTime * 1000 + offset + 999_999_999) / 1_000_000_000)
        let query = [("name", name), ("from", String(from)), ("until", String(until)), ("format", "pprof"),
                     ("sampleRate", String(sampleRate)), ("spyName", "diag")]
            .map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
        var failure = ""
        for attempt in 1...(Self.retries + 1) {
            if attempt > 1 {
                Terminal.printError("diag: note: push to \(url) failed (\(failure)); retrying (\(attempt - 1) of \(Self.retries))")
                Thread.sleep(forTimeInterval: Self.backoffSeconds[attempt - 2])
            }
            let response: HTTPResponse
            do {
                response = try HTTPPost.send(endpoint, pathAndQuery: "/ingest?\(query)", contentType: "application/octet-stream",
                                             body: [UInt8](body))
            } catch let error as DiagError {
                failure = error.message
                continue
            }
            if (200..<300).contains(response.status) {
                return Report(url: url, name: name, status: response.status, attempts: attempt, bytes: body.count)
            }
            failure = "HTTP \(response.status)" + Self.excerpt(response.text)
            if response.status < 500 {
                throw DiagError(.pushFailed, "the collector at \(url) refused the profile: \(failure)",
                                hint: "check --push (the collector's base URL) and --push-name")
            }
        }
        throw DiagError(.pushFailed, "cannot push the profile to \(url) after \(Self.retries + 1) attempts: \(failure)",
                        hint: "is the collector running? write a local copy with -o and send it later")
    }

    private static func excerpt(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingWhitespace() ?? ""
        return line.isEmpty ? "" : ": " + String(line.prefix(200))
    }

    /// RFC 3986 percent-encoding of a query value (`{`, `}`, `=` and `,` of labels included).
    static func percentEncoded(_ value: String) -> String {
        let unreserved = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~".utf8)
        return value.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }
}

extension ProfilePush.Report {
    /// The line the text report ends with.
    func renderText() -> String {
        "Pushed \(bytes) bytes of pprof to \(url) as \(name) (HTTP \(status)\(attempts > 1 ? ", attempt \(attempts)" : ""))\n"
    }
}

/// A command's `--json` report with a `push` member added when `--push` was given.
struct PushedReport<Report: Encodable>: Encodable {
    let report: Report
    let push: ProfilePush.Report?

    private enum CodingKeys: String, CodingKey { case push }

    func encode(to encoder: Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(push, forKey: .push)
    }
}
