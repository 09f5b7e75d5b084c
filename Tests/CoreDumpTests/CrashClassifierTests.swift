@testable import CoreDump
import Testing

/// Verdict rules that the crash fixtures do not reach, on hand-made evidence.
@Suite struct CrashClassifierTests {
    private func frame(_ function: String, file: String? = nil, line: Int? = nil) -> CoreSummary.Frame {
        CoreSummary.Frame(pc: 0x401000, function: function, file: file, line: line, module: "/srv/app", moduleOffset: 0x1000,
                          isInline: false, isJavaScript: false)
    }

    private func evidence(signal: Int32, code: Int32, address: UInt64? = nil, sender: Int32? = nil,
                          frames: [CoreSummary.Frame] = [], instructionBytes: [UInt8]? = nil,
                          instructionPointer: UInt64? = 0x401000) -> CrashEvidence {
        let codeText = SignalDescription.code(code, signal: signal)
        let facts = CoreSummary.SignalFacts(number: signal, name: SignalDescription.name(signal), code: code,
                                            codeName: codeText.name, codeMeaning: codeText.meaning, faultAddress: address,
                                            senderPID: sender, senderUID: sender == nil ? nil : 1000)
        return CrashEvidence(signal: facts, pid: 100, isSnapshotByProducer: false, frames: frames,
                             instructionPointer: instructionPointer, stackPointer: 0x7ffc_0000_1000, stackSegment: nil,
                             faultSegment: nil, instructionBytes: instructionBytes, abortMessage: nil, isNode: false)
    }

    @Test func nullPointerWithAFieldOffset() {
        let verdict = CrashClassifier.classify(evidence(signal: 11, code: 1, address: 0x18, frames: [frame("parse", file: "/src/p.c", line: 9)]))
        #expect(verdict.kind == .nullPointerDereference)
        #expect(verdict.text == "null-pointer dereference (field at offset 0x18) in parse (p.c:9)")
    }

    @Test func divideByZeroTrapAndIllegalInstruction() {
        #expect(CrashClassifier.classify(evidence(signal: 8, code: 1, address: 0x401000)).kind == .divideByZero)
        #expect(CrashClassifier.classify(evidence(signal: 4, code: 2, address: 0x401000, instructionBytes: [0x0f, 0x0b])).kind == .trap)
        #expect(CrashClassifier.classify(evidence(signal: 4, code: 1, address: 0x401000, instructionBytes: [0xff, 0xff])).kind == .illegalInstruction)
    }

    @Test func generalProtectionAndJumpsIntoData() {
        #expect(CrashClassifier.classify(evidence(signal: 11, code: 0x80, address: 0)).kind == .generalProtection)
        let jump = CrashClassifier.classify(evidence(signal: 11, code: 2, address: 0x5555_0000_2000, instructionPointer: 0x5555_0000_2000))
        #expect(jump.kind == .executeNonExecutable)
        #expect(CrashClassifier.classify(evidence(signal: 11, code: 1, address: 0xdead_beef_0000)).kind == .invalidMemoryAccess)
    }

    @Test func signalSentByAnotherProcess() {
        let verdict = CrashClassifier.classify(evidence(signal: 6, code: 0, sender: 4242))
        #expect(verdict.kind == .killedBySignal)
        #expect(verdict.text == "killed by SIGABRT sent by pid 4242 (uid 1000) with kill()")
    }

    @Test func uncaughtCppExceptionNamesTheThrower() {
        let frames = ["__pthread_kill_implementation", "raise", "abort", "__gnu_cxx::__verbose_terminate_handler()",
                      "__cxxabiv1::__terminate(void (*)())", "std::terminate()", "__cxa_throw"].map { frame($0) }
            + [frame("Config::load(std::string const&)", file: "/src/config.cpp", line: 42), frame("main")]
        let verdict = CrashClassifier.classify(evidence(signal: 6, code: -6, sender: 100, frames: frames))
        #expect(verdict.kind == .uncaughtCppException)
        #expect(verdict.text == "uncaught C++ exception (std::terminate) thrown in Config::load(std::string const&) (config.cpp:42)")
    }
}
