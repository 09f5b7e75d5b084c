import DiagSupport
import Glibc
import NodeInspector
import Symbols
import TargetProcess

/// The checks `diag doctor PID` runs on one process: can diag trace it, does it share
/// diag's namespaces, can its frames be symbolized, will it leave a core, and for Node.js,
/// can its inspector be opened.
enum ProcessChecks {
    static func all(for process: TargetProcess, runtime: Runtime) -> [DoctorCheck] {
        var checks = [ptrace(process), namespaces(process), debugInfo(process), coreLimit(process)]
        if runtime.isNode { checks += NodeChecks.all(for: process) }
        return checks
    }

    /// Attaches for real (PTRACE_SEIZE, a brief interrupt of the main thread, detach): the
    /// only certain answer.
    static func ptrace(_ process: TargetProcess) -> DoctorCheck {
        do {
            let thread = try TracedThread(seizing: process.pid)
            thread.detach()
            return DoctorCheck("ptrace", .ok, "diag can attach to \(process.pid)")
        } catch let error as DiagError {
            return DoctorCheck("ptrace", .fail, error.message, fix: error.hint)
        } catch {
            return DoctorCheck("ptrace", .fail, "\(error)")
        }
    }

    static func namespaces(_ process: TargetProcess) -> DoctorCheck {
        let ownPID = ProcFiles.readLink("/proc/self/ns/pid")
        let targetPID = ProcFiles.readLink("/proc/\(process.pid)/ns/pid")
        let ownMount = ProcFiles.readLink("/proc/self/ns/mnt")
        let targetMount = ProcFiles.readLink("/proc/\(process.pid)/ns/mnt")
        guard let targetPID, let targetMount else {
            return DoctorCheck("namespaces", .warn, "cannot read the namespaces of \(process.pid) (that needs the same rights as ptrace)",
                               fix: "run diag as root or as the process's user")
        }
        if ownPID != targetPID {
            let inner = process.status.namespacePIDs.last.map { " (pid \($0) inside it)" } ?? ""
            return DoctorCheck("namespaces", .warn, "\(process.pid) runs in another pid namespace\(inner), probably a container",
                               fix: "diag reads its files through /proc/\(process.pid)/root; ports and paths the process prints are those inside the container")
        }
        if ownMount != targetMount {
            return DoctorCheck("namespaces", .warn, "\(process.pid) has its own mount namespace: its binaries are read through /proc/\(process.pid)/root")
        }
        return DoctorCheck("namespaces", .ok, "same pid and mount namespaces as diag")
    }

    static func debugInfo(_ process: TargetProcess) -> DoctorCheck {
        let symbolizer: Symbolizer
        do {
            symbolizer = try Symbolizer(pid: process.pid)
        } catch {
            return DoctorCheck("debug info", .fail, "\(error)", fix: "run diag as root or as the process's user")
        }
        let modules = symbolizer.modules().filter { $0.path.hasPrefix("/") && !$0.path.hasPrefix("/memfd:") }
        let noSymbols = modules.filter { !$0.hasSymbolTable && !$0.hasDebugInfo }
        let noDWARF = modules.filter { !$0.hasDebugInfo }
        if noDWARF.isEmpty {
            return DoctorCheck("debug info", .ok, "all \(modules.count) modules have DWARF (function names, source lines, inline frames)")
        }
        let executable = process.executablePath ?? ""
        let missingMain = noDWARF.contains { $0.path == executable }
        var detail = "\(noDWARF.count) of \(modules.count) modules have no DWARF (no source lines or inline frames): "
            + noDWARF.prefix(6).map { shortName($0.path) }.joined(separator: ", ") + (noDWARF.count > 6 ? ", ..." : "")
        if !noSymbols.isEmpty {
            detail += "; \(noSymbols.count) have only exported symbols (others show as module+offset): "
                + noSymbols.prefix(4).map { shortName($0.path) }.joined(separator: ", ") + (noSymbols.count > 4 ? ", ..." : "")
        }
        return DoctorCheck("debug info", missingMain ? .warn : .ok, detail, fix: debugInfoFix(for: noDWARF.map(\.path), executable: executable))
    }

    /// Packaged libraries get their -dbgsym package name; the program itself a build hint.
    static func debugInfoFix(for paths: [String], executable: String) -> String {
        var packages: [String] = []
        var unpackaged: [String] = []
        for path in paths.prefix(20) {
            if let package = DebianPackages.owner(of: path) {
                if !packages.contains(package) { packages.append(package) }
            } else {
                unpackaged.append(shortName(path))
            }
        }
        var fixes: [String] = []
        if !packages.isEmpty {
            fixes.append("install debug symbols: apt-get install " + packages.map { "\($0)-dbgsym" }.joined(separator: " ")
                         + " (from the debian-debug archive), or set DEBUGINFOD_URLS")
        }
        if !unpackaged.isEmpty {
            fixes.append("build \(unpackaged.prefix(3).joined(separator: ", ")) with -g and keep the DWARF (or a separate .debug file with a build-id)")
        }
        return fixes.joined(separator: "; ")
    }

    static func coreLimit(_ process: TargetProcess) -> DoctorCheck {
        guard let limits = ProcFiles.readText("/proc/\(process.pid)/limits"),
              let line = limits.split(separator: "\n").first(where: { $0.hasPrefix("Max core file size") }) else {
            return DoctorCheck("core limit", .warn, "cannot read the core size limit of \(process.pid)")
        }
        let soft = line.dropFirst("Max core file size".count).split(separator: " ").first.map(String.init) ?? "?"
        let filter = ProcFiles.readText("/proc/\(process.pid)/coredump_filter")?.trimmingWhitespace() ?? "?"
        if soft == "0" {
            return DoctorCheck("core limit", .warn, "\(process.pid) will not write a core if it crashes (RLIMIT_CORE is 0)",
                               fix: "prlimit --pid \(process.pid) --core=unlimited   (or ulimit -c unlimited before starting it); 'diag gcore \(process.pid)' works regardless")
        }
        return DoctorCheck("core limit", .ok, "RLIMIT_CORE is \(soft); coredump_filter is \(filter)")
    }

    static func shortName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// Which Debian package installed a file, from dpkg's file lists.
enum DebianPackages {
    static func owner(of path: String) -> String? {
        let directory = "/var/lib/dpkg/info"
        guard let entries = ProcFiles.list(directory) else { return nil }
        let needles = candidatePaths(path).map { "\n\($0)\n" }
        for entry in entries where entry.hasSuffix(".list") {
            guard let text = ProcFiles.readText("\(directory)/\(entry)").map({ "\n" + $0 }) else { continue }
            if needles.contains(where: { text.contains($0) }) {
                let name = String(entry.dropLast(5))
                return name.split(separator: ":").first.map(String.init) ?? name
            }
        }
        return nil
    }

    /// The path as mapped, resolved, and with and without /usr: since the /usr merge, dpkg
    /// may list /lib/... for a file mapped as /usr/lib/....
    static func candidatePaths(_ path: String) -> [String] {
        var paths = [path, realPath(path)]
        for known in paths {
            if known.hasPrefix("/usr/") { paths.append(String(known.dropFirst(4))) } else { paths.append("/usr" + known) }
        }
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
