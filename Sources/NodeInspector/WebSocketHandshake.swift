import DiagSupport
import Foundation

/// The client side of the WebSocket opening handshake (RFC 6455 §4): the upgrade request
/// and the checks on the server's answer, including Sec-WebSocket-Accept.
struct WebSocketHandshake {
    static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    let host: String
    let path: String
    /// base64 of 16 random bytes.
    let key: String

    init(host: String, path: String, key: String = WebSocketHandshake.randomKey()) {
        self.host = host
        self.path = path
        self.key = key
    }

    static func randomKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }

    /// The value a correct server answers for `key`.
    static func expectedAccept(for key: String) -> String {
        Data(SHA1.digest(Array((key + acceptGUID).utf8))).base64EncodedString()
    }

    var request: [UInt8] {
        Array(("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8)
    }

    /// Checks the response head (everything before the blank line).
    func validate(responseHead: String) throws {
        let lines = responseHead.components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ", maxSplits: 2) ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1.") else {
            throw WebSocketError.handshakeFailed("not an HTTP answer")
        }
        guard statusParts[1] == "101" else {
            let reason = statusParts.count > 2 ? " \(statusParts[2])" : ""
            throw WebSocketError.handshakeFailed("the inspector answered \(statusParts[1])\(reason)")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmingWhitespace()
        }
        guard headers["upgrade"]?.lowercased() == "websocket",
              headers["connection"]?.lowercased().contains("upgrade") == true else {
            throw WebSocketError.handshakeFailed("the answer does not upgrade to a WebSocket")
        }
        guard headers["sec-websocket-accept"] == Self.expectedAccept(for: key) else {
            throw WebSocketError.handshakeFailed("wrong Sec-WebSocket-Accept")
        }
    }
}
