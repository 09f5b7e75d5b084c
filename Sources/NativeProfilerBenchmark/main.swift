// Measures diag's post-processing of a native capture on 100,000 samples: symbolization,
// assembly into a profile, the four output formats and the summary. The samples are made
// from real addresses of this process (its own stack, unwound with libunwind, with varying
// leaf addresses), so that symbolization does real libdw work. Prints one JSON object.
// Used by scripts/bench-native.
import CUnwindShim
import DiagSupport
import Foundation
import Glibc
import NativeProfiler
import Profiles
import Symbols
import TargetProcess

@inline(never)
func currentStack() -> [UInt64] {
    var addresses = [UInt64](repeating: 0, count: 64)
    let count = Int(diag_unwind_local(&addresses, 64))
    return Array(addresses.prefix(max(count, 0)))
}

func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = MonotonicClock.seconds()
    try body()
    return (MonotonicClock.seconds() - start) * 1000
}

let sampleCount = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
let threadCount = 4
let distinctLeaves = 2_000
let base = currentStack()
// Leaf addresses spread over the first 8 KiB of code after this stack's innermost frame.
let leaves = (0..<distinctLeaves).map { base[0] &+ UInt64($0 * 4) }
var raw = RawSamples()
let start = MonotonicClock.microseconds()
for sample in 0..<sampleCount {
    var stack = base
    stack[0] = leaves[(sample * 7919) % distinctLeaves]
    raw.add(tid: Int32(1000 + sample % threadCount), name: "worker-\(sample % threadCount)",
            time: start + Int64(sample) * 250, stack: stack[...], isIdle: false)
}
let impact = SamplerImpact(method: .perfEvent, stopMicroseconds: .init([]), interruptLatencyMicroseconds: .init([]),
                           samplesTaken: sampleCount,
                           lateSamples: 0, missedTicks: 0, failedSamples: 0, stoppedShare: 0)
let capture = NativeCapture(pid: getpid(), processName: "benchmark", samples: raw, startTime: start,
                            endTime: start + Int64(sampleCount) * 250, rate: 1000, endReason: .completed,
                            threadsStarted: [], threadsExited: [], impact: impact, liveMemoryReads: 0)

let target = try TargetProcess(pid: getpid())
let resolver = try FrameResolver(target: target)
var assembler = ProfileAssembler(resolver: resolver)
var assembled: ProfileAssembler.Result?
let assembleMilliseconds = measure { assembled = assembler.assemble(capture) }
var formatMilliseconds: [String: Double] = [:]
var formatBytes: [String: Int] = [:]
for format in ProfileFormat.allCases {
    var size = 0
    formatMilliseconds[format.rawValue] = try measure { size = try format.encode(assembled!.profile).count }
    formatBytes[format.rawValue] = size
}
// The reference: elfutils' eu-addr2line resolving the same addresses of this process
// (function, file:line and inline frames, like diag) in one libdwfl session.
let lookupAddresses = leaves + base.dropFirst().map { $0 - 1 }
let addr2line = Process()
addr2line.executableURL = URL(fileURLWithPath: "/usr/bin/eu-addr2line")
addr2line.arguments = ["--pid=\(getpid())", "-f", "-i", "-C"] + lookupAddresses.map { "0x" + String($0, radix: 16) }
addr2line.standardOutput = FileHandle.nullDevice
let referenceMilliseconds = try measure {
    try addr2line.run()
    addr2line.waitUntilExit()
}
let summaryMilliseconds = measure {
    _ = NativeCPUReport(capture: capture, assembled: assembled!, output: "-", format: "cpuprofile", postProcessingSeconds: 0)
}

struct Result: Encodable {
    let samples: Int
    let distinctStacks: Int
    let uniqueAddresses: Int
    let symbolizationMilliseconds: Double
    /// Per address, symbolized by diag (cached per module and address), in µs.
    let symbolizationMicrosecondsPerAddress: Double
    /// Per address for `eu-addr2line -p PID -f -i -C` on the same addresses, in µs.
    let addr2lineMicrosecondsPerAddress: Double
    let assembleMilliseconds: Double
    let formatMilliseconds: [String: Double]
    let formatBytes: [String: Int]
    let summaryMilliseconds: Double
    /// Assembly (with symbolization), the default cpuprofile format and the summary.
    let postProcessingMilliseconds: Double
}
let result = Result(samples: sampleCount, distinctStacks: raw.stacks.count, uniqueAddresses: assembled!.uniqueAddresses,
                    symbolizationMilliseconds: assembled!.symbolizationSeconds * 1000,
                    symbolizationMicrosecondsPerAddress: assembled!.symbolizationSeconds * 1e6 / Double(assembled!.uniqueAddresses),
                    addr2lineMicrosecondsPerAddress: referenceMilliseconds * 1000 / Double(lookupAddresses.count),
                    assembleMilliseconds: assembleMilliseconds, formatMilliseconds: formatMilliseconds,
                    formatBytes: formatBytes, summaryMilliseconds: summaryMilliseconds,
                    postProcessingMilliseconds: assembleMilliseconds + formatMilliseconds["cpuprofile"]! + summaryMilliseconds)
try JSONOutput.print(result)
