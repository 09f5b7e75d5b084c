import DiagSupport
import Foundation
import NodeInspector

/// A Node.js worker thread as the NodeWorker domain describes it.
public struct NodeWorkerInfo: Sendable, Codable, Equatable {
    /// The id `--worker` takes (`1`, `2`, ... in creation order).
    public let workerId: String
    public let title: String
    public let url: String
    /// The NodeWorker session id used to talk to it.
    let sessionId: String

    public init(workerId: String, title: String, url: String, sessionId: String) {
        self.workerId = workerId
        self.title = title
        self.url = url
        self.sessionId = sessionId
    }
}

/// Commands addressed to one inspector target: the main thread, or a worker thread reached
/// through the main session (`NodeWorker.sendMessageToWorker`, answered by
/// `NodeWorker.receivedMessageFromWorker` events).
protocol InspectorChannel {
    func call(_ method: String, _ params: [String: Any], timeout: Double?) throws -> CDPMessage
}

extension CDPSession: InspectorChannel {}

/// The channel to one worker thread.
struct WorkerChannel: InspectorChannel {
    let session: CDPSession
    let worker: NodeWorkerInfo

    func call(_ method: String, _ params: [String: Any], timeout: Double?) throws -> CDPMessage {
        let id = session.reserveID()
        let inner = try JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": params] as [String: Any])
        try session.sendIgnoringResponse("NodeWorker.sendMessageToWorker",
                                         ["sessionId": worker.sessionId, "message": String(decoding: inner, as: UTF8.self)])
        var reply: CDPMessage?
        _ = try session.next(timeout: timeout, waitingFor: "\(method) in worker \(worker.workerId)") { message in
            guard message.method == "NodeWorker.receivedMessageFromWorker",
                  message.value("sessionId", in: message.params) as? String == worker.sessionId,
                  let text = message.value("message", in: message.params) as? String,
                  let decoded = try? CDPMessage(bytes: Array(text.utf8)), decoded.id == id else { return false }
            reply = decoded
            return true
        }
        guard let reply else { throw DiagError(.failure, "worker \(worker.workerId) did not answer \(method)") }
        if let error = reply.errorMessage { throw DiagError(.failure, "worker \(worker.workerId) refused \(method): \(error)") }
        return reply
    }
}

extension NodeChannel {
    /// Attaches to the worker threads (NodeWorker.enable on the in-process session) and lists them.
    public func listWorkers() throws -> [NodeWorkerInfo] {
        var workers: [NodeWorkerInfo] = []
        onCDPEvent("NodeWorker.attachedToWorker") { params in
            guard let sessionId = params["sessionId"] as? String, let info = params["workerInfo"] as? [String: Any] else { return }
            workers.append(NodeWorkerInfo(workerId: info["workerId"] as? String ?? sessionId, title: info["title"] as? String ?? "",
                                          url: info["url"] as? String ?? "", sessionId: sessionId))
        }
        defer { removeCDPEventHandler("NodeWorker.attachedToWorker") }
        try call("NodeWorker.enable", ["waitForDebuggerOnStart": false])
        try pump(seconds: 0.1)
        return workers
    }
}
