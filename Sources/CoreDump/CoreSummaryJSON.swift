/// The `--json` form of a `CoreSummary`: schema `diag.core/1`, documented in man/diag.1.
/// Every key is always present (null when unknown); addresses are hex strings; sizes and
/// ids are numbers.
public enum CoreSummaryJSON {
    public static let schema = "diag.core/1"

    public static func document(_ summary: CoreSummary) -> JSONValue {
        .object([
            "schema": .string(schema),
            "file": .object([
                "path": .string(summary.file.path),
                "size": .number(summary.file.size),
                "expected_size": .number(summary.file.expectedSize),
                "truncated": .bool(summary.file.isTruncated),
                "producer": .string(summary.file.producer.rawValue),
            ]),
            "process": process(summary.process),
            "signal": summary.signal.map(signal) ?? .null,
            "verdict": .object([
                "kind": .string(summary.verdict.kind.rawValue),
                "text": .string(summary.verdict.text),
                "abort_message": .text(summary.verdict.abortMessage),
                "function": .text(summary.verdict.function),
                "recursion": summary.verdict.recursion.map { .object(["function": .string($0.function), "count": .number($0.count)]) } ?? .null,
            ]),
            "crashing_tid": .number(summary.crashingTID),
            "registers": .object(Dictionary(summary.registers.map { ($0.name, JSONValue.address($0.value)) }, uniquingKeysWith: { first, _ in first })),
            "threads": .array(summary.threads.map(thread)),
            "thread_groups": .array(summary.threadGroups.map { group in
                .object([
                    "count": .number(group.count),
                    "tids": .array(group.map { .number($0.tid) }),
                    "top": .text(group.first?.frames.first?.displayName),
                ])
            }),
            "modules": .array(summary.modules.map(module)),
            "node": summary.node.map(node) ?? .null,
            "warnings": .array(summary.warnings.map { .string($0) }),
        ])
    }

    private static func process(_ facts: CoreSummary.ProcessFacts) -> JSONValue {
        .object([
            "pid": .number(facts.pid), "ppid": .number(facts.parentPID),
            "uid": .number(facts.uid), "gid": .number(facts.gid), "user": .text(facts.userName),
            "name": .text(facts.name), "executable": .text(facts.executable),
            "argv": .array(facts.arguments.map { .string($0) }), "argv_source": .string(facts.argumentsSource),
            "threads": .number(facts.threadCount),
            "mapped_bytes": .number(facts.mappedBytes), "saved_bytes": .number(facts.savedBytes),
        ])
    }

    private static func signal(_ facts: CoreSummary.SignalFacts) -> JSONValue {
        .object([
            "number": .number(facts.number), "name": .string(facts.name),
            "code": .number(facts.code), "code_name": .string(facts.codeName), "code_meaning": .string(facts.codeMeaning),
            "fault_address": .address(facts.faultAddress),
            "sender_pid": .number(facts.senderPID), "sender_uid": .number(facts.senderUID),
        ])
    }

    private static func thread(_ thread: CoreSummary.Thread) -> JSONValue {
        .object([
            "tid": .number(thread.tid),
            "crashed": .bool(thread.isCrashing),
            "frames": .array(thread.frames.enumerated().map { frame($0.element, index: $0.offset) }),
            "frames_cut_off": .bool(thread.isCutOff),
            "unwind_error": .text(thread.unwindError),
            "javascript_frames": .array(thread.javaScriptFrames.enumerated().map { frame($0.element, index: $0.offset) }),
        ])
    }

    private static func frame(_ frame: CoreSummary.Frame, index: Int) -> JSONValue {
        .object([
            "index": .number(index),
            "pc": .address(frame.pc),
            "function": .text(frame.function),
            "file": .text(frame.file),
            "line": .number(frame.line),
            "module": .text(frame.module),
            "module_offset": .address(frame.moduleOffset),
            "inline": .bool(frame.isInline),
            "kind": .string(frame.isJavaScript ? "javascript" : "native"),
        ])
    }

    private static func module(_ module: CoreSummary.Module) -> JSONValue {
        .object([
            "path": .string(module.path), "start": .address(module.start), "end": .address(module.end),
            "build_id": .text(module.buildID), "elf_file": .text(module.elfFile), "debug_file": .text(module.debugFile),
            "symbols": .bool(module.hasSymbolTable), "debug_info": .bool(module.hasDebugInfo),
            "deleted": .bool(module.isDeleted), "file_missing": .bool(module.isFileMissing), "build_id_matches": .flag(module.buildIDMatches),
        ])
    }

    private static func node(_ facts: CoreSummary.NodeFacts) -> JSONValue {
        .object([
            "v8_version": .text(facts.v8Version),
            "javascript_frames": .string(facts.javaScriptFrames),
            "note": .text(facts.note),
        ])
    }
}
