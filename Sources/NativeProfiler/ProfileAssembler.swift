import DiagSupport
import Profiles
import Symbols

/// Symbolizes a capture into a `SampledProfile`, the input of every output format: each
/// distinct address is resolved once, each inlined call becomes its own frame, and
/// functions are identified by name, source file (or module) and start line.
public struct ProfileAssembler {
    /// The profile and what symbolizing it cost.
    public struct Result: Sendable {
        public var profile: SampledProfile
        /// Distinct (address, return-address) pairs resolved.
        public var uniqueAddresses: Int
        public var symbolizationSeconds: Double
        /// Everything after sampling: symbolization and assembly.
        public var assemblySeconds: Double
        /// The modules the samples touched, with build-ids.
        public var modules: [ModuleSummary]
    }

    private let resolver: FrameResolver
    private var functions: [SampledProfile.Function] = []
    private var functionIndex: [SampledProfile.Function: Int] = [:]
    private var locations: [SampledProfile.Location] = []
    private var locationIndex: [SampledProfile.Location: Int] = [:]
    private var addresses: [SampledProfile.Address] = []
    private var addressIndex: [AddressKey: Int] = [:]
    private var symbolizationSeconds = 0.0
    private var moduleAddresses: [String: UInt64] = [:]
    private var moduleIndex: [String: Int] = [:]
    private var profileModules: [SampledProfile.Module] = []
    private var javaScriptFunctions: [JavaScriptFunction] = []

    private struct AddressKey: Hashable {
        let address: UInt64
        let isReturnAddress: Bool
    }

    public init(resolver: FrameResolver) {
        self.resolver = resolver
    }

    public mutating func assemble(_ capture: NativeCapture) -> Result {
        let begin = MonotonicClock.seconds()
        javaScriptFunctions = capture.javaScriptFunctions
        var stacks: [[Int]] = []
        var addressStacks: [[Int]] = []
        stacks.reserveCapacity(capture.samples.stacks.count)
        addressStacks.reserveCapacity(capture.samples.stacks.count)
        for raw in capture.samples.stacks {
            var stack: [Int] = []
            var addressStack: [Int] = []
            for (depth, address) in raw.enumerated().reversed() {
                let index = addressFor(address, isReturnAddress: depth > 0)
                addressStack.append(index)
                stack += addresses[index].locations
            }
            stacks.append(stack)
            addressStacks.append(addressStack)
        }
        let threads = capture.samples.threads.filter { !$0.samples.isEmpty }.map { thread in
            SampledProfile.Thread(tid: thread.tid, name: thread.name, samples: thread.samples.map {
                SampledProfile.Sample(time: $0.time, stack: $0.stack, isIdle: $0.isIdle)
            })
        }
        var profile = SampledProfile(pid: capture.pid, processName: capture.processName, functions: functions,
                                     locations: locations, stacks: stacks, threads: threads,
                                     startTime: capture.startTime, endTime: capture.endTime,
                                     sampleInterval: 1_000_000 / Int64(max(capture.rate, 1)))
        profile.addresses = addresses
        profile.addressStacks = addressStacks
        profile.modules = profileModules
        let modules = ModuleSummary.describe(moduleAddresses, resolver: resolver)
        return Result(profile: profile, uniqueAddresses: addresses.count,
                      symbolizationSeconds: symbolizationSeconds, assemblySeconds: MonotonicClock.seconds() - begin,
                      modules: modules)
    }

    /// The index in `addresses` of one address, symbolized the first time it is seen.
    private mutating func addressFor(_ address: UInt64, isReturnAddress: Bool) -> Int {
        let key = AddressKey(address: address, isReturnAddress: isReturnAddress)
        if let known = addressIndex[key] { return known }
        if let index = MixedStackRewriter.functionIndex(of: address), index < javaScriptFunctions.count {
            return javaScriptAddress(javaScriptFunctions[index], key: key)
        }
        let begin = MonotonicClock.seconds()
        let frames = resolver.frames(at: address, isReturnAddress: isReturnAddress)
        symbolizationSeconds += MonotonicClock.seconds() - begin
        for module in frames.compactMap(\.module) where moduleAddresses[module] == nil { moduleAddresses[module] = address }
        let locations = frames.reversed().map { frame in
            location(SampledProfile.Location(function: function(for: frame), line: frame.line, isInline: frame.isInline))
        }
        let module = frames.first?.module.flatMap { path -> Int? in
            if let known = moduleIndex[path] { return known }
            guard let info = resolver.module(at: address) else { return nil }
            moduleIndex[path] = profileModules.count
            profileModules.append(SampledProfile.Module(path: path, start: info.start, end: info.end,
                                                        fileOffset: resolver.fileOffset(at: info.start),
                                                        buildID: info.buildID, hasDebugInfo: info.hasDebugInfo))
            return profileModules.count - 1
        }
        addressIndex[key] = addresses.count
        addresses.append(SampledProfile.Address(address: address, locations: locations, module: module))
        return addresses.count - 1
    }

    /// A JavaScript frame of a `--mixed` capture: a function with its script and line, no
    /// address (0) and no module.
    private mutating func javaScriptAddress(_ javaScript: JavaScriptFunction, key: AddressKey) -> Int {
        let function = intern(SampledProfile.Function(name: javaScript.name, url: javaScript.scriptURL, line: javaScript.line))
        let locationIndex = location(SampledProfile.Location(function: function, line: javaScript.line))
        addressIndex[key] = addresses.count
        addresses.append(SampledProfile.Address(address: 0, locations: [locationIndex], module: nil))
        return addresses.count - 1
    }

    private mutating func function(for frame: SymbolicFrame) -> Int {
        let url = frame.file ?? frame.module ?? ""
        return intern(SampledProfile.Function(name: frame.displayName, url: url,
                                              line: frame.file == nil ? nil : frame.functionLine, module: frame.module))
    }

    private mutating func intern(_ function: SampledProfile.Function) -> Int {
        if let known = functionIndex[function] { return known }
        functionIndex[function] = functions.count
        functions.append(function)
        return functions.count - 1
    }

    private mutating func location(_ location: SampledProfile.Location) -> Int {
        if let known = locationIndex[location] { return known }
        locationIndex[location] = locations.count
        locations.append(location)
        return locations.count - 1
    }
}
