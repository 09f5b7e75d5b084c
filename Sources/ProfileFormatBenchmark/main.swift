import DiagSupport
import Foundation
import Profiles

/// scripts/bench-pprof: encodes one synthetic native profile of SAMPLES samples (default
/// 100000; 4 threads, 2000 functions, 5000 distinct stacks 8 to 40 frames deep, a tenth of
/// the frames inlined) as .cpuprofile and as pprof, RUNS times each, interleaved, and prints
/// one line: `cpuprofileMs pprofMs cpuprofileBytes pprofBytes` (medians of the times).
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let sampleCount = arguments.first ?? 100_000
let runs = arguments.dropFirst().first ?? 5

struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state
    }
}
var random = Seeded(state: 42)
let functions = (0..<2000).map { SampledProfile.Function(name: "function_\($0)", url: "/src/file\($0 % 200).c", line: $0 % 500 + 1, module: "/usr/bin/app") }
var locations: [SampledProfile.Location] = []
var addresses: [SampledProfile.Address] = []
for index in 0..<20_000 {
    let function = Int.random(in: 0..<functions.count, using: &random)
    locations.append(.init(function: function, line: index % 900 + 1))
    var held = [locations.count - 1]
    if index % 10 == 0 {
        locations.append(.init(function: (function + 1) % functions.count, line: index % 700 + 1, isInline: true))
        held.append(locations.count - 1)
    }
    addresses.append(.init(address: 0x400000 + UInt64(index) * 16, locations: held, module: 0))
}
var addressStacks: [[Int]] = []
for _ in 0..<5000 {
    addressStacks.append((0..<Int.random(in: 8...40, using: &random)).map { _ in Int.random(in: 0..<addresses.count, using: &random) })
}
let stacks = addressStacks.map { $0.flatMap { addresses[$0].locations } }
let threads = (0..<4).map { number in
    SampledProfile.Thread(tid: Int32(100 + number), name: "worker-\(number)", samples: (0..<(sampleCount / 4)).map {
        SampledProfile.Sample(time: 1_000_000 + Int64($0) * 10_101, stack: Int.random(in: 0..<stacks.count, using: &random))
    })
}
var profile = SampledProfile(pid: 1, processName: "app", functions: functions, locations: locations, stacks: stacks,
                             threads: threads, startTime: 1_000_000, endTime: 1_000_000 + Int64(sampleCount / 4) * 10_101,
                             sampleInterval: 10_101)
profile.addresses = addresses
profile.addressStacks = addressStacks
profile.modules = [.init(path: "/usr/bin/app", start: 0x400000, end: 0x800000, buildID: "0123456789abcdef", hasDebugInfo: true)]

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
var cpuprofileTimes: [Double] = [], pprofTimes: [Double] = []
var sizes = (cpuprofile: 0, pprof: 0)
for _ in 0..<runs {
    var begin = MonotonicClock.seconds()
    sizes.cpuprofile = try ProfileFormat.cpuprofile.encode(profile).count
    cpuprofileTimes.append((MonotonicClock.seconds() - begin) * 1000)
    begin = MonotonicClock.seconds()
    sizes.pprof = try ProfileFormat.pprof.encode(profile).count
    pprofTimes.append((MonotonicClock.seconds() - begin) * 1000)
}
print(String(format: "%.1f %.1f %d %d", median(cpuprofileTimes), median(pprofTimes), sizes.cpuprofile, sizes.pprof))
