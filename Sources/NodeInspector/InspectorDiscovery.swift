import DiagSupport
import Foundation
import TargetProcess

/// A V8 inspector that a Node.js process is listening with.
public struct InspectorEndpoint: Sendable, Equatable, Codable {
    public let port: UInt16
    public let address: String
    /// What `/json/version` says it is, e.g. `node.js/v20.20.2`.
    public let browser: String
    /// The inode of the listening socket: the inspector is closed once no file descriptor of
    /// the target refers to it.
    public let socketInode: UInt64

    /// True when it listens on an IPv6 address (`::1`).
    public var isIPv6: Bool { address.contains(":") && !address.hasPrefix("::ffff:") }
}

/// Finds the inspector of a Node.js process without trusting the command line alone: the
/// process's own listening sockets (from /proc) are asked `GET /json/version`, and only a
/// V8 inspector answers that with a `Browser` field. Only sockets bound to a loopback address
/// are asked (Node binds its inspector to 127.0.0.1 unless told otherwise; application
/// servers usually bind every address), plus the port the command line names.
public enum InspectorDiscovery {
    /// The inspector `pid` listens with, or nil.
    public static func listeningInspector(pid: Int32, timeout: Double = 1) -> InspectorEndpoint? {
        let sockets = ListeningSockets.of(pid: pid)
        let expected = InspectorPortSetting.expectedPort(for: pid)
        let candidates = sockets.filter { $0.isLoopback || $0.port == expected }
            .sorted { ($0.port == expected ? 0 : 1, $0.port) < ($1.port == expected ? 0 : 1, $1.port) }
        for socket in candidates {
            if let endpoint = probe(pid: pid, socket: socket, timeout: timeout) { return endpoint }
        }
        return nil
    }
}

extension InspectorDiscovery {
    /// Asks one listening socket of `pid` for `/json/version` (inside the target's network
    /// namespace); an endpoint when a V8 inspector answers.
    static func probe(pid: Int32, socket: ListeningSocket, timeout: Double) -> InspectorEndpoint? {
        let ipv6 = socket.address.contains(":") && !socket.address.hasPrefix("::ffff:")
        guard let response = try? NetworkNamespace.withNamespace(of: pid, {
                  try LoopbackHTTP.get(port: socket.port, path: "/json/version", ipv6: ipv6, timeout: timeout)
              }),
              response.status == 200,
              let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let browser = object["Browser"] as? String, object["Protocol-Version"] != nil else { return nil }
        return InspectorEndpoint(port: socket.port, address: socket.address, browser: browser, socketInode: socket.inode)
    }

    /// The WebSocket path of the inspector's main target, from `/json/list`.
    static func debuggerPath(pid: Int32, endpoint: InspectorEndpoint) throws -> String {
        let response = try NetworkNamespace.withNamespace(of: pid) {
            try LoopbackHTTP.get(port: endpoint.port, path: "/json/list", ipv6: endpoint.isIPv6, timeout: 3)
        }
        guard response.status == 200,
              let targets = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]],
              let url = targets.compactMap({ $0["webSocketDebuggerUrl"] as? String }).first,
              url.hasPrefix("ws://"),
              let slash = url.dropFirst(5).firstIndex(of: "/") else {
            throw DiagError(.failure, "the inspector on port \(endpoint.port) lists no debuggable target")
        }
        return String(url[slash...])
    }
}

/// The inspector port a Node.js process will use when its inspector opens: from
/// `--inspect-port`, `--inspect`, `--inspect-brk` or `--debug-port` on its command line or in
/// NODE_OPTIONS; 9229 otherwise; 0 means a random port.
public enum InspectorPortSetting {
    public static let defaultPort: UInt16 = 9229

    public static func expectedPort(for pid: Int32) -> UInt16 {
        guard let process = try? TargetProcess(pid: pid) else { return defaultPort }
        let nodeOptions = process.environment?["NODE_OPTIONS"] ?? ""
        return expectedPort(arguments: Array(process.commandLine.dropFirst()), nodeOptions: nodeOptions)
    }

    /// The last setting wins; command-line options override NODE_OPTIONS. Arguments after
    /// the script name belong to the script and are ignored.
    public static func expectedPort(arguments: [String], nodeOptions: String) -> UInt16 {
        var port = defaultPort
        let optionWords = nodeOptions.split(separator: " ").map(String.init)
        for words in [optionWords, nodeArguments(arguments)] {
            var index = 0
            while index < words.count {
                let word = words[index]
                let next = index + 1 < words.count ? words[index + 1] : nil
                if let value = value(of: word, names: ["--inspect-port", "--debug-port"], next: next) {
                    if let parsed = parsePort(value.text) { port = parsed }
                    index += value.consumedNext ? 1 : 0
                } else if let value = value(of: word, names: ["--inspect", "--inspect-brk", "--inspect-wait"], next: nil),
                          let parsed = parsePort(value.text) {
                    port = parsed
                }
                index += 1
            }
        }
        return port
    }

    /// Node options whose value may follow as the next argument.
    static let optionsWithSeparateValue: Set<String> = [
        "--inspect-port", "--debug-port", "-r", "--require", "--import", "--loader", "--experimental-loader", "--title",
    ]

    /// Node's own options: those before the first non-option argument (the script).
    static func nodeArguments(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("-") {
            result.append(arguments[index])
            if optionsWithSeparateValue.contains(arguments[index]), index + 1 < arguments.count {
                result.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        return result
    }

    private static func value(of word: String, names: [String], next: String?) -> (text: String, consumedNext: Bool)? {
        for name in names {
            if word.hasPrefix(name + "=") { return (String(word.dropFirst(name.count + 1)), false) }
            if word == name, let next { return (next, true) }
        }
        return nil
    }

    /// `9230`, `127.0.0.1:9230`, `[::1]:9230`.
    private static func parsePort(_ text: String) -> UInt16? {
        let portText = text.split(separator: ":").last.map(String.init) ?? text
        return UInt16(portText)
    }
}
