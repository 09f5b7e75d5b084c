import NodeInspector
import TargetProcess

/// The Node.js-specific checks of `diag doctor`: the inspector's state and whether SIGUSR1
/// can open it.
enum NodeChecks {
    static let sigusr1: Int32 = 10

    static func all(for process: TargetProcess) -> [DoctorCheck] {
        [inspector(process), signal(process)]
    }

    static func inspector(_ process: TargetProcess) -> DoctorCheck {
        if let endpoint = InspectorDiscovery.listeningInspector(pid: process.pid) {
            let exposed = !(endpoint.address.hasPrefix("127.") || endpoint.address == "::1")
            if exposed {
                return DoctorCheck("inspector", .warn, "the inspector listens on \(endpoint.address):\(endpoint.port), reachable from other machines",
                                   fix: "restart with --inspect=127.0.0.1:\(endpoint.port): anyone who can connect can run code in the process")
            }
            return DoctorCheck("inspector", .ok, "the inspector is open on \(endpoint.address):\(endpoint.port) (\(endpoint.browser)); diag will use it and leave it open")
        }
        let port = InspectorPortSetting.expectedPort(for: process.pid)
        if port == 0 {
            return DoctorCheck("inspector", .ok, "the inspector is closed; SIGUSR1 will open it on a random port")
        }
        if let holder = ListeningSockets.owner(ofPort: port, amongNamespaceOf: process.pid) {
            let name = ProcFiles.readText("/proc/\(holder)/comm")?.trimmingWhitespace() ?? "?"
            return DoctorCheck("inspector", .fail, "the inspector port \(port) is held by pid \(holder) (\(name)): the inspector cannot open",
                               fix: "stop pid \(holder), or start the target with --inspect-port=0 (random port)")
        }
        return DoctorCheck("inspector", .ok, "the inspector is closed; port \(port) is free for it")
    }

    static func signal(_ process: TargetProcess) -> DoctorCheck {
        let arguments = process.commandLine + [process.environment?["NODE_OPTIONS"] ?? ""]
        if arguments.contains(where: { $0.contains("--disable-sigusr1") }) {
            return DoctorCheck("SIGUSR1", .fail, "started with --disable-sigusr1: the inspector cannot be opened from outside",
                               fix: "restart without --disable-sigusr1, or with --inspect=127.0.0.1:0")
        }
        if ProcessStatus.has(signal: sigusr1, in: process.status.ignoredSignals) {
            return DoctorCheck("SIGUSR1", .fail, "SIGUSR1 is ignored by the process: the inspector cannot be opened from outside",
                               fix: "restart it with SIGUSR1 not ignored (check the service manager or the parent)")
        }
        if ProcessStatus.has(signal: sigusr1, in: process.status.caughtSignals) {
            return DoctorCheck("SIGUSR1", .ok, "Node's SIGUSR1 handler is installed (an application handler, if any, cannot be seen from outside)")
        }
        return DoctorCheck("SIGUSR1", .warn, "SIGUSR1 is not caught yet: the process may still be starting; diag will not signal it until it is")
    }
}
