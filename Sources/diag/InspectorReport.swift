import NodeChannel

/// How diag reached the target's inspector, for `--json` reports.
struct InspectorReport: Encodable {
    var port: UInt16
    var openedByDiag: Bool
    var activationMilliseconds: Double?
    var connectMilliseconds: Double
    /// How long the TCP inspector was open because of diag (nil when it was open already).
    var tcpOpenMilliseconds: Double?

    init(_ channel: NodeChannel) {
        port = channel.port
        openedByDiag = channel.openedByDiag
        activationMilliseconds = channel.activationSeconds.map { $0 * 1000 }
        connectMilliseconds = channel.connectSeconds * 1000
        tcpOpenMilliseconds = channel.inspectorOpenSeconds.map { $0 * 1000 }
    }
}
