import ArgumentParser
import CoreDump
import DiagSupport
import TargetProcess

/// `diag gcore PID`: a core of a live process, which keeps running.
struct Gcore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gcore",
        abstract: "Write a core file of a running process without killing it.",
        discussion: "Every thread is stopped for as long as the memory copy takes, then resumed. The file is created with mode 0600."
    )

    @OptionGroup var target: TargetOption
    @OptionGroup var output: OutputOption
    @OptionGroup var report: ReportOptions

    func validate() throws {
        if output.output == "-" && report.json {
            throw ValidationError("--json and -o - both use standard output; write the core to a file")
        }
    }

    func run() throws {
        let process = try TargetProcess(pid: target.pid)
        StopRequest.install()
        let file = try OutputFile(path: output.output ?? defaultOutputName(command: "gcore", target: process.name, pid: process.pid,
                                                                            fileExtension: "core"),
                                  uniqueName: output.output == nil)
        let progress = ProgressLine(quiet: report.quiet || file.displayPath == "-")
        let result: LiveCoreWriter.Result
        do {
            result = try LiveCoreWriter.write(pid: process.pid, to: file, progress: { copied, total in
                progress.update("gcore \(process.pid): \(ByteSize.format(Int64(copied))) of \(ByteSize.format(Int64(total)))")
            }, shouldStop: { StopRequest.isRequested })
            progress.clear()
            if StopRequest.isRequested { throw StopRequest.stoppedError("interrupted: no core was written") }
            try file.commit()
        } catch {
            progress.clear()
            file.discard()
            throw error
        }
        let path = file.displayPath
        if report.json {
            try JSONOutput.print(GcoreReport(path: path, pid: process.pid, result: result))
        } else if !report.quiet {
            let text = """
            wrote \(path): \(ByteSize.format(Int64(result.bytes))), \(result.threads) threads, \
            \(result.dumpedMappings) of \(result.mappings) mappings saved; threads stopped for \
            \(formatDecimal(result.stoppedSeconds * 1000)) ms
            """
            if path == "-" { Terminal.printError(text) } else { Terminal.printOut(text + "\n") }
            if result.unreadableBytes > 0 {
                Terminal.printError("note: \(ByteSize.format(Int64(result.unreadableBytes))) could not be read and are zeros in the core")
            }
        }
    }
}

/// The `--json` summary of `diag gcore`.
struct GcoreReport: Encodable {
    var path: String
    var pid: Int32
    var bytes: UInt64
    var threads: Int
    var mappings: Int
    var dumpedMappings: Int
    var stoppedMilliseconds: Double
    var unreadableBytes: UInt64

    init(path: String, pid: Int32, result: LiveCoreWriter.Result) {
        self.path = path
        self.pid = pid
        bytes = result.bytes
        threads = result.threads
        mappings = result.mappings
        dumpedMappings = result.dumpedMappings
        stoppedMilliseconds = (result.stoppedSeconds * 10000).rounded() / 10
        unreadableBytes = result.unreadableBytes
    }

    enum CodingKeys: String, CodingKey {
        case path, pid, bytes, threads, mappings
        case dumpedMappings = "dumped_mappings"
        case stoppedMilliseconds = "stopped_ms"
        case unreadableBytes = "unreadable_bytes"
    }
}
