import Foundation
import SwiftProtobuf

/// Writes a `SampledProfile` as a pprof profile (profile.proto, gzipped), the format of
/// `go tool pprof`, Pyroscope, Parca and Grafana: sample types `samples/count` and
/// `cpu/nanoseconds`, one sample per thread and stack with the thread's name and tid as
/// labels (`thread`, `tid` when known). A native profile has one Location per sampled address, its
/// inlined calls as further Line entries, and a Mapping with the build-id for each module;
/// a profile without addresses (JavaScript) has one Location per function and line.
/// Samples of threads that were off CPU end in an `(idle)` frame, as in the `.cpuprofile`.
public enum PprofExporter {
    /// The gzipped profile, as a `.pb.gz` file holds it.
    public static func gzipped(_ profile: SampledProfile) throws -> Data {
        try Gzip.compress(try serialized(profile))
    }

    /// The profile.proto message, not compressed. `monotonicToWallNanoseconds` turns the
    /// profile's CLOCK_MONOTONIC times into the wall-clock `time_nanos` (by default the
    /// clocks' difference now).
    public static func serialized(_ profile: SampledProfile,
                                  monotonicToWallNanoseconds: Int64 = WallClock.monotonicOffsetNanoseconds()) throws -> Data {
        try message(profile, monotonicToWallNanoseconds: monotonicToWallNanoseconds).serializedData()
    }

    static func message(_ profile: SampledProfile, monotonicToWallNanoseconds: Int64) -> Perftools_Profiles_Profile {
        var builder = Builder(profile: profile)
        let periodNanoseconds = profile.sampleInterval * 1000
        var message = Perftools_Profiles_Profile()
        message.sampleType = [builder.valueType("samples", "count"), builder.valueType("cpu", "nanoseconds")]
        message.periodType = builder.valueType("cpu", "nanoseconds")
        message.period = periodNanoseconds
        message.timeNanos = profile.startTime * 1000 + monotonicToWallNanoseconds
        message.durationNanos = max(0, profile.endTime - profile.startTime) * 1000
        message.comment = [builder.string("diag cpu \(profile.pid) (\(profile.processName))")]
        let threadKey = builder.string("thread"), tidKey = builder.string("tid")
        for thread in profile.threads {
            var counts: [Int: Int64] = [:]
            for sample in thread.samples { counts[sample.stack * 2 + (sample.isIdle ? 1 : 0), default: 0] += 1 }
            var threadLabel = Perftools_Profiles_Label()
            threadLabel.key = threadKey
            threadLabel.str = builder.string(thread.name)
            var tidLabel = Perftools_Profiles_Label()
            tidLabel.key = tidKey
            tidLabel.num = Int64(thread.tid)
            for (key, count) in counts.sorted(by: { $0.key < $1.key }) {
                var sample = Perftools_Profiles_Sample()
                sample.locationID = builder.leafFirstLocations(stack: key / 2, isIdle: key % 2 == 1)
                sample.value = [count, count * periodNanoseconds]
                // A tid of 0 is unknown (a Node.js worker thread): no tid label then.
                sample.label = thread.tid > 0 ? [threadLabel, tidLabel] : [threadLabel]
                message.sample.append(sample)
            }
        }
        message.mapping = builder.mappings
        message.location = builder.locations
        message.function = builder.functions
        message.stringTable = builder.strings
        return message
    }

    /// The tables of a profile message: strings, functions, locations and mappings, each
    /// entry made once; ids are 1-based indices.
    private struct Builder {
        let profile: SampledProfile
        var strings: [String] = [""]
        var stringIndex: [String: Int64] = ["": 0]
        var functions: [Perftools_Profiles_Function] = []
        var locations: [Perftools_Profiles_Location] = []
        var mappings: [Perftools_Profiles_Mapping] = []
        /// Location id per address (native) or per profile location (JavaScript), 0 until made.
        var locationIDs: [UInt64]
        var idleLocationID: UInt64 = 0
        var idleFunctionID: UInt64 = 0
        let byAddress: Bool

        init(profile: SampledProfile) {
            self.profile = profile
            byAddress = !profile.addressStacks.isEmpty && profile.addressStacks.count == profile.stacks.count
            locationIDs = [UInt64](repeating: 0, count: byAddress ? profile.addresses.count : profile.locations.count)
            for function in profile.functions {
                var entry = Perftools_Profiles_Function()
                entry.id = UInt64(functions.count + 1)
                entry.name = string(function.name)
                entry.systemName = entry.name
                entry.filename = string(function.url)
                entry.startLine = Int64(function.line ?? 0)
                functions.append(entry)
            }
            for module in profile.modules {
                var mapping = Perftools_Profiles_Mapping()
                mapping.id = UInt64(mappings.count + 1)
                mapping.memoryStart = module.start
                mapping.memoryLimit = module.end
                mapping.fileOffset = module.fileOffset
                mapping.filename = string(module.path)
                mapping.buildID = string(module.buildID ?? "")
                mapping.hasFunctions_p = true
                mapping.hasFilenames_p = module.hasDebugInfo
                mapping.hasLineNumbers_p = module.hasDebugInfo
                mapping.hasInlineFrames_p = module.hasDebugInfo
                mappings.append(mapping)
            }
        }

        mutating func string(_ text: String) -> Int64 {
            if let known = stringIndex[text] { return known }
            stringIndex[text] = Int64(strings.count)
            strings.append(text)
            return Int64(strings.count - 1)
        }

        mutating func valueType(_ type: String, _ unit: String) -> Perftools_Profiles_ValueType {
            var value = Perftools_Profiles_ValueType()
            value.type = string(type)
            value.unit = string(unit)
            return value
        }

        /// A stack's location ids, leaf first as profile.proto wants them.
        mutating func leafFirstLocations(stack: Int, isIdle: Bool) -> [UInt64] {
            var ids: [UInt64] = isIdle ? [idleLocation()] : []
            if byAddress {
                for address in profile.addressStacks[stack].reversed() { ids.append(location(address: address)) }
            } else {
                for index in profile.stacks[stack].reversed() { ids.append(location(profileLocation: index)) }
            }
            return ids
        }

        private func line(_ location: SampledProfile.Location) -> Perftools_Profiles_Line {
            var line = Perftools_Profiles_Line()
            line.functionID = UInt64(location.function + 1)
            line.line = Int64(location.line ?? 0)
            return line
        }

        /// One Location per address: its Lines innermost first (each inlined into the next).
        private mutating func location(address index: Int) -> UInt64 {
            if locationIDs[index] != 0 { return locationIDs[index] }
            let address = profile.addresses[index]
            var entry = Perftools_Profiles_Location()
            entry.id = UInt64(locations.count + 1)
            entry.address = address.address
            entry.mappingID = address.module.map { UInt64($0 + 1) } ?? 0
            entry.line = address.locations.reversed().map { line(profile.locations[$0]) }
            locations.append(entry)
            locationIDs[index] = entry.id
            return entry.id
        }

        private mutating func location(profileLocation index: Int) -> UInt64 {
            if locationIDs[index] != 0 { return locationIDs[index] }
            var entry = Perftools_Profiles_Location()
            entry.id = UInt64(locations.count + 1)
            entry.line = [line(profile.locations[index])]
            locations.append(entry)
            locationIDs[index] = entry.id
            return entry.id
        }

        private mutating func idleLocation() -> UInt64 {
            if idleLocationID != 0 { return idleLocationID }
            var function = Perftools_Profiles_Function()
            function.id = UInt64(functions.count + 1)
            function.name = string(SampledProfile.idleFunctionName)
            function.systemName = function.name
            functions.append(function)
            var line = Perftools_Profiles_Line()
            line.functionID = function.id
            var entry = Perftools_Profiles_Location()
            entry.id = UInt64(locations.count + 1)
            entry.line = [line]
            locations.append(entry)
            idleLocationID = entry.id
            return entry.id
        }
    }
}

/// The offset between CLOCK_MONOTONIC, which profiles are timed on, and the wall clock.
public enum WallClock {
    public static func monotonicOffsetNanoseconds() -> Int64 {
        var monotonic = timespec(), wall = timespec()
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        clock_gettime(CLOCK_REALTIME, &wall)
        func nanoseconds(_ time: timespec) -> Int64 { Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec) }
        return nanoseconds(wall) - nanoseconds(monotonic)
    }
}
