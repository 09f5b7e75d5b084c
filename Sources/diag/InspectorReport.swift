import NodeInspector

/// How diag reached the inspector, for `--json` reports.
struct InspectorReport: Encodable {
    var port: UInt16
    var openedByDiag: Bool
    var activationMilliseconds: Double?
    var connectMilliseconds: Double

    init(_ session: NodeInspectorSession) {
        port = session.endpoint.port
        openedByDiag = session.openedByDiag
        activationMilliseconds = session.activationSeconds.map { $0 * 1000 }
        connectMilliseconds = session.connectSeconds * 1000
    }
}
