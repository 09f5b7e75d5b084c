import DiagSupport

/// The human-readable form of a `CoreSummary`: verdict first, then the process facts, the
/// crashing thread with its registers, the other threads grouped by identical stacks, the
/// modules and the warnings.
public enum CoreSummaryText {
    /// Frames shown per thread other than the crashing one.
    static let framesPerGroup = 12

    public static func render(_ summary: CoreSummary) -> String {
        var out = ""
        let file = summary.file
        out += "core     \(file.path) (\(file.producer.rawValue), \(ByteSize.format(Int64(clamping: file.size))))\n"
        out += "verdict  \(summary.verdict.text)\n\n"
        out += processBlock(summary)
        if let crashing = summary.threads.first(where: \.isCrashing) {
            out += "\n\(summary.verdict.kind == .snapshot ? "first thread" : "crashing thread") \(crashing.tid):\n"
            out += frameLines(crashing.frames, limit: nil)
            if crashing.isCutOff { out += "    ... (stopped at the frame limit)\n" }
            if let error = crashing.unwindError { out += "    (unwind stopped: \(error))\n" }
            if !crashing.javaScriptFrames.isEmpty {
                out += "  JavaScript frames:\n" + frameLines(crashing.javaScriptFrames, limit: nil)
            }
            out += registerBlock(summary.registers)
        }
        let groups = summary.threadGroups
        if !groups.isEmpty {
            out += "\nother threads:\n"
            for group in groups {
                let tids = group.map { String($0.tid) }.joined(separator: ", ")
                out += group.count == 1 ? "  thread \(tids):\n" : "  \(group.count) threads (\(tids)):\n"
                out += frameLines(group[0].frames, limit: framesPerGroup)
                if let error = group[0].unwindError { out += "    (unwind stopped: \(error))\n" }
            }
        }
        out += moduleBlock(summary.modules)
        if let node = summary.node {
            out += "\nnode     V8 \(node.v8Version ?? "?"), JavaScript frames: \(node.javaScriptFrames)"
            out += node.note.map { " (\($0))" } ?? ""
            out += "\n"
        }
        if !summary.warnings.isEmpty {
            out += "\nwarnings:\n" + summary.warnings.map { "  - \($0)\n" }.joined()
        }
        return out
    }

    private static func processBlock(_ summary: CoreSummary) -> String {
        let process = summary.process
        var lines: [(String, String)] = []
        let name = process.name.map { " (\($0))" } ?? ""
        let parent = process.parentPID.map { ", parent \($0)" } ?? ""
        lines.append(("process", "\(process.pid.map(String.init) ?? "?")\(name)\(parent)"))
        if let uid = process.uid {
            lines.append(("user", "uid \(uid)\(process.userName.map { " (\($0))" } ?? ""), gid \(process.gid.map(String.init) ?? "?")"))
        }
        if !process.arguments.isEmpty { lines.append(("command", process.arguments.joined(separator: " "))) }
        if let executable = process.executable { lines.append(("exe", executable)) }
        if let signal = summary.signal {
            lines.append(("signal", "\(signal.name) (\(signal.number)), \(signal.codeName): \(signal.codeMeaning)"))
            if let address = signal.faultAddress { lines.append(("fault at", hex(address))) }
            if let sender = signal.senderPID {
                let itself = sender == process.pid ? " (the process itself)" : ""
                lines.append(("sent by", "pid \(sender)\(signal.senderUID.map { ", uid \($0)" } ?? "")\(itself)"))
            }
        }
        if let message = summary.verdict.abortMessage { lines.append(("message", message)) }
        lines.append(("threads", String(process.threadCount)))
        lines.append(("memory", "\(ByteSize.format(Int64(clamping: process.mappedBytes))) mapped, \(ByteSize.format(Int64(clamping: process.savedBytes))) saved in the core"))
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 + "\n" }.joined()
    }

    static func frameLines(_ frames: [CoreSummary.Frame], limit: Int?) -> String {
        var out = ""
        for (index, frame) in frames.enumerated() {
            if let limit, index >= limit {
                out += "    ... \(frames.count - limit) more\n"
                break
            }
            let number = "#\(index)"
            var line = "    " + number + String(repeating: " ", count: max(1, 4 - number.count)) + hex(frame.pc) + " "
            if frame.isJavaScript { line += "js: " }
            line += frame.displayName
            if frame.isInline { line += " (inlined)" }
            if let location = frame.isJavaScript ? frame.file : frame.shortLocation { line += "  \(location)" }
            if !frame.isJavaScript, let module = frame.module, let offset = frame.moduleOffset, frame.function != nil {
                line += "  [\(module.baseName)+\(hex(offset))]"
            }
            out += line + "\n"
        }
        return out
    }

    private static func registerBlock(_ registers: [(name: String, value: UInt64)]) -> String {
        let shown = ["rip", "rsp", "rbp", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "eflags"]
        let values = shown.compactMap { name in registers.first { $0.name == name } }
        guard !values.isEmpty else { return "" }
        var out = "  registers:\n"
        for row in stride(from: 0, to: values.count, by: 4) {
            let cells = values[row..<min(row + 4, values.count)].map { entry in
                let digits = String(entry.value, radix: 16)
                let name = entry.name + String(repeating: " ", count: max(0, 7 - entry.name.count))
                return name + "0x" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits
            }
            out += "    " + cells.joined(separator: "  ") + "\n"
        }
        return out
    }

    private static func moduleBlock(_ modules: [CoreSummary.Module]) -> String {
        guard !modules.isEmpty else { return "" }
        var table = TextTable(["start", "end", "build-id", "symbols", "module"])
        for module in modules {
            var symbols = module.hasDebugInfo ? "debug" : module.hasSymbolTable ? "symtab" : module.isFileMissing ? "missing" : "dynsym"
            if module.buildIDMatches == false { symbols += ",mismatch" }
            if module.isDeleted { symbols += ",deleted" }
            table.add([hex(module.start), hex(module.end), module.buildID.map { String($0.prefix(16)) } ?? "-", symbols, module.path])
        }
        return "\nmodules:\n" + table.render(indent: "  ")
    }
}
