import ArgumentParser
import DiagSupport
import NativeProfiler
import Profiles
import TargetProcess

/// `diag cpu PID`: a sampled CPU profile.
struct CPU: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cpu",
        abstract: "Sample a CPU profile of a running process.",
        discussion: """
        Node.js targets are profiled through the V8 inspector (JavaScript functions, script URLs \
        and lines); other processes, or any with --native, by sampling native stacks (with \
        perf_event when permitted, else ptrace; see --sampler), unwound with libunwind and \
        symbolized with libdw.
        """
    )

    @OptionGroup var target: TargetOption

    @Option(help: "How long to sample (500ms, 10s, 2m). Ctrl-C ends early and still writes the file.")
    var duration = TimeSpan(seconds: 10)

    @Option(help: "Samples per second.")
    var rate = 99

    @Option(help: ArgumentHelp("Sample only this thread.", valueName: "tid"))
    var thread: Int32?

    @Flag(help: "Also sample threads that are not on a CPU, and show them as idle.")
    var idle = false

    @Flag(help: "Use the native sampler even on a Node.js target.")
    var native = false

    @Flag(help: ArgumentHelp("""
        Node.js: sample native stacks and name V8's JavaScript frames in them from the process's heap \
        (function, script, line), one stack from main through libuv and V8 into JavaScript and its native \
        callees. No inspector is opened.
        """))
    var mixed = false

    @Option(help: ArgumentHelp("""
        Native sampling method: perf (perf_event: the kernel samples from its timer interrupt, threads are never \
        stopped), ptrace (stops each thread briefly; works without perf_event permission, and with --idle), or \
        auto: perf when permitted and --idle is not given, ptrace otherwise.
        """, valueName: "method"))
    var sampler = "auto"

    @Option(help: ArgumentHelp("Profile this Node.js worker thread (an id from the list diag prints).", valueName: "id"))
    var worker: String?

    @Option(help: ArgumentHelp("""
        Stack bytes copied per native sample, above the stack pointer (4KiB to 63KiB); deeper frames are read \
        from the live process afterwards.
        """, valueName: "size"))
    var stackSize = ByteSize(bytes: Int64(SamplerConfiguration.defaultStackCopySize))

    @Option(help: "Output format: cpuprofile, trace, collapsed, speedscope or pprof (gzipped profile.proto, .pb.gz).")
    var format = "cpuprofile"

    @Option(help: ArgumentHelp("""
        Also send the profile (as pprof) to a Pyroscope-compatible collector: POST URL/ingest. Plain http only; \
        with --push the profile is written to a file only when -o is given.
        """, valueName: "url"))
    var push: String?

    @Option(help: ArgumentHelp("""
        The application name for --push, with optional labels: app or app{env=prod} (default: the target's \
        process name).
        """, valueName: "name"))
    var pushName: String?

    @Flag(help: .hidden)
    var unwindWhileStopped = false

    @OptionGroup var output: OutputOption
    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard rate > 0 && rate <= 10_000 else { throw ValidationError("--rate must be between 1 and 10000") }
        guard duration.seconds > 0 else { throw ValidationError("--duration must be longer than 0") }
        guard let method = SamplingMethodChoice(rawValue: sampler) else {
            throw ValidationError("--sampler must be auto, perf or ptrace")
        }
        if method == .perfEvent && idle {
            throw ValidationError("--idle needs --sampler ptrace or auto: perf_event samples only threads on a CPU")
        }
        if method == .perfEvent && unwindWhileStopped {
            throw ValidationError("--unwind-while-stopped needs --sampler ptrace or auto")
        }
        guard stackSize.bytes >= 4096 && stackSize.bytes <= 63 * 1024 else {
            throw ValidationError("--stack-size must be between 4KiB and 63KiB")
        }
        if mixed && worker != nil {
            throw ValidationError("--mixed samples every thread natively; pick one with --thread, not --worker")
        }
        guard ProfileFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be cpuprofile, trace, collapsed, speedscope or pprof")
        }
        if let push {
            do { _ = try HTTPPost.Endpoint(parsing: push) } catch let error as DiagError { throw ValidationError(error.message) }
        }
        if pushName != nil && push == nil { throw ValidationError("--push-name needs --push") }
        if pushName?.isEmpty == true { throw ValidationError("--push-name must not be empty") }
    }

    func run() throws {
        let process = try TargetProcess(pid: target.pid)
        if mixed {
            try runMixedProfile(process, format: ProfileFormat(rawValue: format) ?? .cpuprofile)
            return
        }
        if !native && RuntimeDetector.detect(process).isNode {
            try runNode()
            return
        }
        guard worker == nil else {
            throw DiagError(.unsupportedTarget, "--worker needs a Node.js target profiled through its inspector (without --native)")
        }
        try runNativeProfile(process, format: ProfileFormat(rawValue: format) ?? .cpuprofile)
    }

    /// The collector of --push, if given; the name defaults to the target's process name.
    func profilePush(processName: String) throws -> ProfilePush? {
        guard let push else { return nil }
        return try ProfilePush(url: push, name: pushName ?? ProfilePush.defaultName(processName: processName))
    }

    /// With --push and no -o there is no local file.
    var writesFile: Bool { push == nil || output.output != nil }
}
