/// What libdwfl contributes to a core summary: the threads' symbolized stacks, the modules,
/// glibc's abort message (found through the `__abort_msg` symbol) and, for Node.js, the
/// JavaScript frames. A core libdwfl cannot read gives empty findings and a warning.
struct DwflFindings {
    var threads: [CoreSummary.Thread] = []
    var modules: [CoreSummary.Module] = []
    var abortMessage: String?
    var isNode = false
    var node: CoreSummary.NodeFacts?
    var warnings: [String] = []

    static func read(descriptor: Int32, notes: CoreNotes, memory: CoreMemory, crashingTID: Int32?,
                     options: CoreAnalyzer.Options) -> DwflFindings {
        var findings = DwflFindings()
        let session: CoreSession
        do {
            session = try CoreSession(descriptor: descriptor, executable: options.executable)
        } catch {
            findings.warnings.append("\(error); showing the facts from the core's notes only")
            return findings
        }
        var rawStacks: [RawThreadStack] = []
        do {
            rawStacks = try session.stacks(maxFrames: options.maxFrames)
            findings.threads = rawStacks.map { symbolize($0, session: session, crashingTID: crashingTID, maxFrames: options.maxFrames) }
        } catch {
            findings.warnings.append("\(error); no stacks")
        }
        let modulesWithFrames = Set(findings.threads.flatMap { $0.frames.compactMap(\.module) })
        findings.modules = CoreModules.describe(session: session, notes: notes, executable: options.executable,
                                                modulesWithFrames: modulesWithFrames)
        findings.isNode = findings.modules.contains { $0.path.baseName == "node" || $0.path.baseName.hasPrefix("libnode.so") }
        let libc = session.symbolAddresses(inModule: { $0.baseName.hasPrefix("libc.so") || $0.baseName.hasPrefix("libc-") },
                                           names: [AbortMessage.symbol])
        findings.abortMessage = libc[AbortMessage.symbol].flatMap { AbortMessage.read(symbolAddress: $0, memory: memory) }
        if findings.isNode, let index = findings.threads.firstIndex(where: \.isCrashing) {
            let tid = findings.threads[index].tid
            let walk = V8FrameWalker.walk(session: session, memory: memory, thread: notes.threads.first { $0.tid == tid },
                                          unwoundFramePointers: rawStacks.first { $0.tid == tid }?.framePointers.compactMap { $0 } ?? [])
            findings.threads[index].javaScriptFrames = walk.frames
            findings.node = walk.facts
        }
        return findings
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
}
