import CoreDump
import DiagSupport
import Glibc
import HeapSnapshot

/// `diag diff A.core B.core`: the per-constructor comparison of two Node.js cores, in the
/// heap-snapshot diff's text and JSON shape.
enum CoreDiff {
    /// True when `path` starts with the ELF magic (a core, not a .heapsnapshot).
    static func isELF(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var magic = [UInt8](repeating: 0, count: 4)
        return read(descriptor, &magic, 4) == 4 && magic == [0x7f, 0x45, 0x4c, 0x46]
    }

    /// Refuses a mix of cores and snapshots; true when all `paths` are cores.
    static func areCores(_ paths: [String]) throws -> Bool {
        let kinds = paths.map(isELF)
        guard kinds.contains(true) else { return false }
        guard kinds.allSatisfy({ $0 }) else {
            let core = paths[kinds.firstIndex(of: true)!], snapshot = paths[kinds.firstIndex(of: false)!]
            throw DiagError(.failure, "cannot compare a core (\(core)) with a heap snapshot (\(snapshot))",
                            hint: "diff two cores of one process, or two .heapsnapshot files")
        }
        guard paths.count == 2 else { throw DiagError(.failure, "diff compares two cores (three are for heap snapshots)") }
        return true
    }

    static func report(paths: [String], top: Int) throws -> HeapDiffReport {
        let tables = try paths.map { path in
            let census = try JSObjectCensus.take(path: path, keepInstances: true)
            return CoreObjectTable(file: path, objects: census.walk.objects, bytes: census.walk.bytes, entries: census.instances)
        }
        return HeapDiffReport.cores(base: tables[0], target: tables[1], top: top)
    }
}
