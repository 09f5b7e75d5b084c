import DiagSupport
import Foundation

/// A connection that carries whole CDP messages: the inspector's WebSocket, or the Unix
/// socket of diag's in-process agent (one JSON message per line).
package protocol CDPTransport: AnyObject {
    /// Sends one message.
    func send(text: [UInt8]) throws
    /// The next whole message, or nil when none arrived within `timeout` seconds.
    func receive(timeout: Double) throws -> [UInt8]?
    var isClosed: Bool { get }
    func close()
}

extension WebSocketConnection: CDPTransport {}

/// A Chrome DevTools Protocol session over one transport: numbered commands, their
/// responses, and events handed to `onEvent` while waiting. Everything is synchronous;
/// `onIdle` runs at least every quarter second while waiting, which is where the
/// dead-man's-switch heartbeat and Ctrl-C checks happen.
package final class CDPSession {
    private let connection: any CDPTransport
    private var nextID = 1
    private var unwantedResponses = Set<Int>()
    /// Receives every event that arrives while a command or an event is awaited.
    package var onEvent: ((CDPMessage) throws -> Void)?
    /// Runs between messages and at least every 250 ms while waiting.
    package var onIdle: (() throws -> Void)?

    package init(connection: any CDPTransport) {
        self.connection = connection
    }

    package var isClosed: Bool { connection.isClosed }

    /// The client-side TCP port of the connection.
    var localPort: UInt16? { (connection as? WebSocketConnection)?.localPort }

    /// A command id nobody else will use (for commands relayed to worker threads).
    package func reserveID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    /// Sends a command and returns its id.
    @discardableResult
    package func send(_ method: String, _ params: [String: Any] = [:]) throws -> Int {
        let id = reserveID()
        let message: [String: Any] = ["id": id, "method": method, "params": params]
        let data = try JSONSerialization.data(withJSONObject: message)
        try connection.send(text: Array(data))
        return id
    }

    /// Sends a command whose response nobody waits for; it is dropped when it comes.
    package func sendIgnoringResponse(_ method: String, _ params: [String: Any] = [:]) throws {
        unwantedResponses.insert(try send(method, params))
    }

    /// Sends a command and waits for its response; a protocol error becomes a DiagError.
    @discardableResult
    package func call(_ method: String, _ params: [String: Any] = [:], timeout: Double? = 30) throws -> CDPMessage {
        let id = try send(method, params)
        return try response(to: id, method: method, timeout: timeout)
    }

    /// Waits for the response to command `id`.
    package func response(to id: Int, method: String, timeout: Double?) throws -> CDPMessage {
        let message = try next(timeout: timeout, waitingFor: "\(method)") { $0.id == id }
        if let error = message.errorMessage {
            throw DiagError(.failure, "the inspector refused \(method): \(error)")
        }
        return message
    }

    /// Waits for the first message `matches` accepts; other events go to `onEvent`.
    package func next(timeout: Double?, waitingFor what: String, matches: (CDPMessage) -> Bool) throws -> CDPMessage {
        let deadline = timeout.map { MonotonicClock.seconds() + $0 }
        while true {
            try onIdle?()
            if let deadline, MonotonicClock.seconds() > deadline {
                throw DiagError(.failure, "the inspector did not answer \(what) within \(formatDecimal(timeout ?? 0))s",
                                hint: "the target's main thread is busy or blocked (a long synchronous task, a system call, or another client's heap snapshot)")
            }
            guard let bytes = try connection.receive(timeout: 0.25) else { continue }
            let message = try CDPMessage(bytes: bytes)
            if matches(message) { return message }
            if let id = message.id {
                unwantedResponses.remove(id)
                continue
            }
            try onEvent?(message)
        }
    }

    /// Handles events for `seconds`, or until `until` returns true (checked between messages).
    package func pump(seconds: Double, until: () -> Bool = { false }) throws {
        let deadline = MonotonicClock.seconds() + seconds
        while MonotonicClock.seconds() < deadline && !until() {
            try onIdle?()
            guard let bytes = try connection.receive(timeout: min(0.25, max(0.001, deadline - MonotonicClock.seconds()))) else { continue }
            let message = try CDPMessage(bytes: bytes)
            if message.id == nil { try onEvent?(message) }
        }
    }

    /// Closes the WebSocket.
    package func close() {
        connection.close()
    }
}
