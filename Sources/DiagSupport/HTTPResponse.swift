/// An HTTP response as diag's clients return it: status code and body.
public struct HTTPResponse: Sendable {
    public let status: Int
    public let body: [UInt8]
    public var text: String { String(decoding: body, as: UTF8.self) }

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// The status line and framing of an HTTP/1.1 response, read from the bytes received so far.
public struct HTTPResponseHead: Sendable, Equatable {
    /// The status code.
    public let status: Int
    /// Where the body starts: the headers and the blank line after them.
    public let bodyOffset: Int
    /// The Content-Length header's value, when there is one.
    public let contentLength: Int?

    /// Nil until the headers are complete, or when they do not start with an HTTP status line.
    public init?(_ data: [UInt8]) {
        guard data.count >= 4,
              let end = (0...(data.count - 4)).first(where: { data[$0] == 13 && data[$0 + 1] == 10 && data[$0 + 2] == 13 && data[$0 + 3] == 10 })
        else { return nil }
        let lines = String(decoding: data[..<end], as: UTF8.self).split(separator: "\r\n")
        let parts = (lines.first ?? "").split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else { return nil }
        self.status = status
        bodyOffset = end + 4
        contentLength = lines.dropFirst().first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int(String($0.dropFirst("content-length:".count)).trimmingWhitespace()) }
    }

    /// True when `data` holds the whole body that Content-Length announces.
    public func isComplete(_ data: [UInt8]) -> Bool {
        contentLength.map { data.count >= bodyOffset + $0 } ?? false
    }

    /// The body in `data`: Content-Length bytes when given, else everything after the headers.
    public func body(of data: [UInt8]) -> [UInt8] {
        let rest = data[bodyOffset...]
        return Array(contentLength.map { rest.prefix($0) } ?? rest)
    }
}
