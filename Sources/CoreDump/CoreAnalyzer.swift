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
        if let executable = options.executable, (try? MappedFile(path: executable)) == nil {
            warnings.append("--exe \(executable) cannot be read; using the paths the core names")
        }
        let findings = DwflFindings.read(descriptor: file.descriptor, notes: notes, memory: memory,
                                         crashingTID: crashingTID, options: options)
        warnings += findings.warnings + moduleWarnings(findings.modules, options: options)
        var threads = findings.threads
        if threads.isEmpty {
            threads = notes.threads.map { status in
                CoreSummary.Thread(tid: status.tid, isCrashing: status.tid == crashingTID, frames: [], isCutOff: false,
                                   unwindError: nil, javaScriptFrames: [])
            }
        }
        threads.sort { $0.isCrashing && !$1.isCrashing }

        let signal = signalFacts(notes)
        let crashing = notes.threads.first { $0.tid == crashingTID }
        let evidence = CrashEvidence(
            signal: signal, pid: notes.processInfo?.pid ?? crashingTID,
            isSnapshotByProducer: notes.diagMarker != nil,
            frames: threads.first(where: \.isCrashing)?.frames ?? [],
            instructionPointer: crashing?.instructionPointer, stackPointer: crashing?.stackPointer,
            stackSegment: crashing?.stackPointer.flatMap { memory.segment(containing: $0) },
            faultSegment: signal?.faultAddress.flatMap { memory.segment(containing: $0) },
            instructionBytes: crashing?.instructionPointer.flatMap { memory.read($0, count: 2) },
            abortMessage: findings.abortMessage, isNode: findings.isNode)
        let producer: CoreSummary.Producer = notes.diagMarker != nil ? .diag : layout.hasSectionHeaders ? .gdb : .kernel
        return CoreSummary(
            file: .init(path: path, size: layout.fileSize, expectedSize: layout.expectedFileSize,
                        isTruncated: layout.isTruncated, producer: producer),
            process: processFacts(notes: notes, memory: memory, threadCount: threads.count),
            signal: signal, verdict: CrashClassifier.classify(evidence), crashingTID: crashingTID,
            registers: crashing.map { status in zip(RegisterNames.x86_64, status.registers).map { ($0, $1) } } ?? [],
            threads: threads, modules: findings.modules, node: findings.node, warnings: warnings)
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

    private static func processFacts(notes: CoreNotes, memory: CoreMemory, threadCount: Int) -> CoreSummary.ProcessFacts {
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
