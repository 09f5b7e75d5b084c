import Glibc
import Symbols
import TargetProcess

/// One look at libuv's threadpool from the target's memory: the work requests waiting in
/// its queue and the workers running one.
public struct ThreadpoolQueueReading: Sendable, Equatable {
    public var queued: Int
    public var busy: Int
}

/// Reads libuv's threadpool state from the static variables of its `src/threadpool.c`
/// (`wq`, `slow_io_pending_wq`, `nthreads`, `idle_threads`), found by name in the full
/// symbol table of the node executable, libnode or libuv, through /proc/PID/mem. Nothing in
/// the target changes and no thread stops; the lists are read without libuv's mutex, so a
/// reading taken while a worker relinks the queue fails its checks and is skipped. Its
/// state never changes after init and pread is safe from any thread.
final class ThreadpoolQueueReader: @unchecked Sendable {
    private let memory: Int32
    private let queue: UInt64
    private let slowQueue: UInt64
    /// The markers libuv links into `wq` (a slow-I/O turn, the exit message): not work.
    private let markers: Set<UInt64>
    private let threadCount: UInt64
    private let idleThreads: UInt64
    /// More entries than any real queue holds: a walk this long has followed a stale link.
    static let longestQueue = 1 << 16

    static let variables: Set<String> = ["wq", "slow_io_pending_wq", "exit_message", "run_slow_work_message", "nthreads", "idle_threads"]

    /// Nil when no mapped module has threadpool.c's variables or the memory is unreadable.
    init?(pid: Int32) {
        let mappings = MemoryMapping.read(pid: pid)
        let executable = ProcFiles.readLink("/proc/\(pid)/exe")
        let candidates = mappings.filter {
            $0.offset == 0 && $0.isFileBacked && ($0.path == executable || $0.path.contains("libuv.so") || $0.path.contains("libnode.so"))
        }
        var found: (addresses: [String: UInt64], bias: UInt64)?
        var seen: Set<String> = []
        for mapping in candidates where seen.insert(mapping.path).inserted {
            guard let elf = ElfFile(path: "/proc/\(pid)/root\(mapping.path)"), let lowest = elf.lowestLoadAddress else { continue }
            let addresses = elf.staticVariables(of: "threadpool.c", among: Self.variables)
            if addresses.count == Self.variables.count {
                found = (addresses, mapping.start &- lowest)
                break
            }
        }
        guard let found else { return nil }
        let descriptor = open("/proc/\(pid)/mem", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        func address(_ name: String) -> UInt64 { found.addresses[name]! &+ found.bias }
        memory = descriptor
        queue = address("wq")
        slowQueue = address("slow_io_pending_wq")
        markers = [address("exit_message"), address("run_slow_work_message")]
        threadCount = address("nthreads")
        idleThreads = address("idle_threads")
    }

    deinit { close(memory) }

    /// The queue's length and the busy workers now; nil when a list changed under the walk.
    func read() -> ThreadpoolQueueReading? {
        guard let threads = readU32(threadCount), let idle = readU32(idleThreads), idle <= threads,
              let waiting = length(of: queue), let slowWaiting = length(of: slowQueue) else { return nil }
        return ThreadpoolQueueReading(queued: waiting + slowWaiting, busy: Int(threads - idle))
    }

    /// Entries of the circular list whose head is at `head` (libuv's `struct uv__queue`: next,
    /// then prev), markers left out; every entry's prev must point at the one before it.
    private func length(of head: UInt64) -> Int? {
        var previous = head
        guard var entry = readU64(head) else { return nil }
        var count = 0
        var steps = 0
        while entry != head {
            steps += 1
            guard steps <= Self.longestQueue, let next = readU64(entry), readU64(entry &+ 8) == previous else { return nil }
            if !markers.contains(entry) { count += 1 }
            previous = entry
            entry = next
        }
        return count
    }

    private func readU64(_ address: UInt64) -> UInt64? {
        var value: UInt64 = 0
        return pread(memory, &value, 8, off_t(Int64(bitPattern: address))) == 8 ? value : nil
    }

    private func readU32(_ address: UInt64) -> UInt32? {
        var value: UInt32 = 0
        return pread(memory, &value, 4, off_t(Int64(bitPattern: address))) == 4 ? value : nil
    }
}
