import DiagSupport
import Glibc
import TargetProcess

/// How failures below the session (WebSocket, malformed messages) reach the user.
extension NodeInspectorSession {
    /// True when `pid` is gone or goes within a second (its sockets close before it does).
    package static func targetExits(_ pid: Int32) -> Bool {
        let deadline = MonotonicClock.seconds() + 1
        repeat {
            guard let process = try? TargetProcess(pid: pid), process.isAlive else { return true }
            usleep(10_000)
        } while MonotonicClock.seconds() < deadline
        return false
    }

    /// Protocol-level errors as the user should read them.
    static func userFacing(_ error: Error, pid: Int32) -> Error {
        switch error {
        case let error as DiagError:
            return error
        case WebSocketError.closed where targetExits(pid):
            return DiagError(.notFound, "process \(pid) exited while diag was connected to it")
        case let error as WebSocketError:
            return DiagError(.failure, error.description)
        case let error as JSONScanError:
            return DiagError(.failure, "the inspector of \(pid) sent a message diag cannot read (\(error.description))")
        default:
            return DiagError(.failure, String(describing: error))
        }
    }
}
