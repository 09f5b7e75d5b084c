import CUnwindShim
import Glibc
import Symbols
import KnownFunction
import Testing

/// Proves that elfutils and libunwind link and work: the test process symbolizes one of its
/// own functions with libdwfl and unwinds its own thread with libunwind.
@Suite struct SystemLibrariesTests {
    @Test func libdwflSymbolizesAFunctionOfThisProcessWithFileAndLine() throws {
        let symbolizer = try Symbolizer(pid: getpid())
        let address = UInt64(UInt(bitPattern: knownFunctionAddress()))
        let frames = symbolizer.frames(at: address)
        let frame = try #require(frames.last)
        #expect(frame.function == "diag_test_known_function")
        #expect(frame.file?.hasSuffix("known_function.c") == true)
        #expect(frame.line == 5)
        #expect(frame.module?.contains("PackageTests") == true)
    }

    @Test func libunwindUnwindsTheCurrentThroughThisTestFunction() throws {
        var addresses = [UInt64](repeating: 0, count: 64)
        let count = Int(diag_unwind_local(&addresses, 64))
        #expect(count > 3)
        let symbolizer = try Symbolizer(pid: getpid())
        let names = addresses.prefix(count).enumerated().flatMap { index, address in
            symbolizer.frames(at: address, isReturnAddress: index > 0).compactMap(\.function)
        }
        #expect(names.first == "diag_unwind_local")
        #expect(names.contains { $0.contains("libunwindUnwindsTheCurrentThroughThisTestFunction") })
    }

    @Test func demanglesCppRustAndSwiftNames() {
        #expect(Demangler.demangle("_ZN3foo3barEi") == "foo::bar(int)")
        #expect(Demangler.demangle("_ZN4core3fmt5write17h0123456789abcdefE") == "core::fmt::write")
        #expect(Demangler.demangle("$sSi1poiyS2i_SitFZ") == "static Swift.Int.+ infix(Swift.Int, Swift.Int) -> Swift.Int")
        #expect(Demangler.demangle("main") == "main")
    }

    @Test func unknownAddressesStillHaveADisplayName() throws {
        let symbolizer = try Symbolizer(pid: getpid())
        let frame = try #require(symbolizer.frames(at: 0x10).first)
        #expect(frame.function == nil)
        #expect(frame.displayName == "0x10")
    }
}
