import DiagSupport
import Foundation

/// One message from the inspector, scanned but not parsed: a response (`id` with `result`
/// or `error`) or an event (`method` with `params`). Values are byte ranges into `bytes`
/// and are decoded only when asked for.
package struct CDPMessage {
    package let bytes: [UInt8]
    package let id: Int?
    package let method: String?
    package let params: Range<Int>?
    package let result: Range<Int>?
    package let error: Range<Int>?

    package init(bytes: [UInt8]) throws {
        self.bytes = bytes
        let members = try bytes.withUnsafeBytes { try JSONScanner.members($0) }
        var id: Int?, method: String?
        var params: Range<Int>?, result: Range<Int>?, error: Range<Int>?
        for member in members {
            switch member.key {
            case "id": id = Int(String(decoding: bytes[member.value], as: UTF8.self))
            case "method": method = try bytes.withUnsafeBytes { try JSONScanner.decodeString($0, (member.value.lowerBound + 1)..<(member.value.upperBound - 1)) }
            case "params": params = member.value
            case "result": result = member.value
            case "error": error = member.value
            default: break
            }
        }
        (self.id, self.method, self.params, self.result, self.error) = (id, method, params, result, error)
    }

    /// The members of `params` or `result` as byte ranges.
    package func members(of range: Range<Int>?) throws -> [JSONScanner.Member] {
        guard let range else { return [] }
        return try bytes.withUnsafeBytes { try JSONScanner.members($0, in: range) }
    }

    /// A value decoded with Foundation (for small values only).
    package func object(_ range: Range<Int>?) -> [String: Any] {
        guard let range else { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(bytes[range]))) as? [String: Any] ?? [:]
    }

    /// The value of member `key` of `range`, decoded with Foundation.
    package func value(_ key: String, in range: Range<Int>?) -> Any? {
        guard let member = try? members(of: range).first(where: { $0.key == key }) else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(bytes[member.value]), options: [.fragmentsAllowed])
    }

    /// The error's message, for responses that failed.
    package var errorMessage: String? {
        guard error != nil else { return nil }
        return (object(error)["message"] as? String) ?? "unknown error"
    }
}
