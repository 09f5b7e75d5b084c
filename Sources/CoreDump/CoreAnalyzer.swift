import Symbols

/// Reads a core file and produces its `CoreSummary`: ELF notes and memory parsed by diag,
/// modules and stacks from libdwfl, then the verdict. Hostile input gives a `DiagError`,
/// and a core libdwfl cannot read still gives the facts from its notes, with a warning.
public enum CoreAnalyzer {
    public struct Options: Sendable {
        /// The executable that produced the core, when it is not where the core says.
        public var executable: String?
        /// The most frames unwound per thread.
        public var maxFrames: Int

        public init(executable: String? = nil, maxFrames: Int = 256) {
            self.executable = executable
            self.maxFrames = maxFrames
        }
    }

    public static func analyze(path: String, options: Options = Options()) throws -> CoreSummary {
        let file = try MappedFile(path: path)
        let view = file.view
        let layout = try CoreLayout(parsing: view, path: path)
        let notes = CoreNotes(file: view, layout: layout)
        let memory = CoreMemory(file: view, layout: layout, fileMappings: notes.fileMappings)
        var warnings: [String] = []
        if layout.isTruncated {
            warnings.append("the core is truncated: \(layout.fileSize) of \(layout.expectedFileSize) bytes; memory past the cut is missing (core size limit or disk full?)")
        }
        if notes.isIncomplete { warnings.append("some ELF notes are cut off or malformed; the facts from them may be missing") }
        if notes.threads.isEmpty { warnings.append("the core has no thread status notes: no registers or thread list") }

        let crashingTID = (notes.threads.first { $0.currentSignal != 0 } ?? notes.threads.first)?.tid
        var threads: [CoreSummary.Thread] = []
        var modules: [CoreSummary.Module] = []
        var abortMessage: String?
        var isNode = false
        var node: CoreSummary.NodeFacts?
        var session: CoreSession?
        var rawStacks: [RawThreadStack] = []
        if let executable = options.executable, (try? MappedFile(path: executable)) == nil {
            warnings.append("--exe \(executable) cannot be read; using the paths the core names")
        }
        do {
            session = try CoreSession(descriptor: file.descriptor, executable: options.executable)
        } catch {
            warnings.append("\(error); showing the facts from the core's notes only")
        }
        if let session {
            do {
                rawStacks = try session.stacks(maxFrames: options.maxFrames)
                threads = rawStacks.map { raw in
                    symbolize(raw, session: session, crashingTID: crashingTID, maxFrames: options.maxFrames)
                }
            } catch {
                warnings.append("\(error); no stacks")
            }
            let modulesWithFrames = Set(threads.flatMap { $0.frames.compactMap(\.module) })
            modules = CoreModules.describe(session: session, notes: notes, executable: options.executable,
                                           modulesWithFrames: modulesWithFrames)
            isNode = modules.contains { $0.path.baseName == "node" || $0.path.baseName.hasPrefix("libnode.so") }
            let libc = session.symbolAddresses(inModule: { $0.baseName.hasPrefix("libc.so") || $0.baseName.hasPrefix("libc-") },
                                               names: [AbortMessage.symbol])
            if let address = libc[AbortMessage.symbol] {
                abortMessage = AbortMessage.read(symbolAddress: address, memory: memory)
            }
            if isNode, let index = threads.firstIndex(where: \.isCrashing) {
                let tid = threads[index].tid
                let walk = V8FrameWalker.walk(session: session, memory: memory, thread: notes.threads.first { $0.tid == tid },
                                              unwoundFramePointers: rawStacks.first { $0.tid == tid }?.framePointers.compactMap { $0 } ?? [])
                threads[index].javaScriptFrames = walk.frames
                node = walk.facts
            }
        }
        if threads.isEmpty {
            threads = notes.threads.map { status in
                CoreSummary.Thread(tid: status.tid, isCrashing: status.tid == crashingTID, frames: [], isCutOff: false,
                                   unwindError: nil, javaScriptFrames: [])
            }
        }
        threads.sort { $0.isCrashing && !$1.isCrashing }
        warnings += moduleWarnings(modules, options: options)

        let processFacts = processFacts(notes: notes, memory: memory, modules: modules, threadCount: threads.count)
        let signal = signalFacts(notes)
        let crashing = notes.threads.first { $0.tid == crashingTID }
        let stackSegment = crashing?.stackPointer.flatMap { memory.segment(containing: $0) }
        let evidence = CrashEvidence(
            signal: signal, pid: notes.processInfo?.pid ?? crashingTID,
            isSnapshotByProducer: notes.diagMarker != nil,
            frames: threads.first(where: \.isCrashing)?.frames ?? [],
            instructionPointer: crashing?.instructionPointer, stackPointer: crashing?.stackPointer,
            stackSegment: stackSegment,
            faultSegment: signal?.faultAddress.flatMap { memory.segment(containing: $0) },
            instructionBytes: crashing?.instructionPointer.flatMap { memory.read($0, count: 2) },
            abortMessage: abortMessage, isNode: isNode)
        let producer: CoreSummary.Producer = notes.diagMarker != nil ? .diag : (view.u64(at: 40).map { $0 != 0 } == true && view.u16(at: 60).map { $0 > 1 } == true ? .gdb : .kernel)
        return CoreSummary(
            file: .init(path: path, size: layout.fileSize, expectedSize: layout.expectedFileSize,
                        isTruncated: layout.isTruncated, producer: producer),
            process: processFacts, signal: signal, verdict: CrashClassifier.classify(evidence), crashingTID: crashingTID,
            registers: crashing.map { status in Array(zip(RegisterNames.x86_64, status.registers)).map { ($0.0, $0.1) } } ?? [],
            threads: threads, modules: modules, node: node, warnings: warnings)
    }

    private static func symbolize(_ raw: RawThreadStack, session: CoreSession, crashingTID: Int32?, maxFrames: Int) -> CoreSummary.Thread {
        var frames: [CoreSummary.Frame] = []
        for (pc, isExact) in raw.frames {
            for symbolic in session.symbolizer.frames(at: pc, isReturnAddress: !isExact) {
                frames.append(CoreSummary.Frame(
                    pc: pc, function: symbolic.function, file: symbolic.file, line: symbolic.line,
                    module: symbolic.module, moduleOffset: symbolic.moduleOffset, isInline: symbolic.isInline,
                    isJavaScript: false))
            }
        }
        return CoreSummary.Thread(tid: raw.tid, isCrashing: raw.tid == crashingTID, frames: frames,
                                  isCutOff: raw.frames.count >= maxFrames, unwindError: raw.error, javaScriptFrames: [])
    }

    private static func moduleWarnings(_ modules: [CoreSummary.Module], options: Options) -> [String] {
        var warnings: [String] = []
        for module in modules {
            if module.isFileMissing {
                let hint = module.buildID.map { " (build-id \($0))" } ?? ""
                let fix = module.start == modules.first?.start || options.executable == nil
                    ? "pass --exe PATH for the executable, or install the file" : "install the file"
                warnings.append("\(module.path) not found\(hint): frames in it may show only module+offset; \(fix)")
            }
            if module.buildIDMatches == false {
                warnings.append("\(module.path) on disk is another build than the one that crashed (build-id mismatch): its symbols would be wrong")
            }
            if module.isDeleted {
                warnings.append("\(module.path) was deleted or replaced while the process ran")
            }
        }
        return warnings
    }

    private static func processFacts(notes: CoreNotes, memory: CoreMemory, modules: [CoreSummary.Module],
                                     threadCount: Int) -> CoreSummary.ProcessFacts {
        let info = notes.processInfo
        let executableName = notes.auxiliaryValue(AuxiliaryKey.executableName).flatMap { memory.readCString($0, maxLength: 4096) }
        let executable = executableName.flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? notes.fileMappings.first?.path ?? executableName ?? info?.name
        let recovered = ArgumentRecovery.recover(memory: memory, notes: notes)
        let arguments = recovered ?? (info?.arguments.split(separator: " ").map(String.init) ?? [])
        return CoreSummary.ProcessFacts(
            pid: info?.pid ?? notes.threads.first?.tid, parentPID: info?.parentPID ?? notes.threads.first?.parentPID,
            uid: info?.uid, gid: info?.gid, userName: info.map { UserNames.name(uid: $0.uid) } ?? nil,
            name: info?.name, executable: executable, arguments: arguments,
            argumentsSource: recovered != nil ? "stack" : "psinfo",
            threadCount: threadCount, mappedBytes: memory.mappedBytes, savedBytes: memory.savedBytes)
    }

    private static func signalFacts(_ notes: CoreNotes) -> CoreSummary.SignalFacts? {
        if let info = notes.signal {
            let code = SignalDescription.code(info.code, signal: info.number)
            return CoreSummary.SignalFacts(number: info.number, name: SignalDescription.name(info.number), code: info.code,
                                           codeName: code.name, codeMeaning: code.meaning, faultAddress: info.faultAddress,
                                           senderPID: info.senderPID, senderUID: info.senderUID)
        }
        guard let signal = notes.threads.first(where: { $0.currentSignal != 0 })?.currentSignal else { return nil }
        return CoreSummary.SignalFacts(number: signal, name: SignalDescription.name(signal), code: 0, codeName: "unknown",
                                       codeMeaning: "no siginfo note in the core", faultAddress: nil, senderPID: nil, senderUID: nil)
    }
}
