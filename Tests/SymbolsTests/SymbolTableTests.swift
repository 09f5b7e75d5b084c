import CLibdw
import Glibc
import KnownFunction
import Symbols
import Testing

/// `SymbolTable` must name every address as libdwfl's own lookup (`dwfl_module_addrinfo`)
/// does: both are asked about the starts, middles and ends of a spread of the symbols of
/// libc (its full table when libc6-dbg is installed) and of this test binary (Swift and C,
/// with many aliases and sizeless symbols).
@Suite struct SymbolTableTests {
    private func module(containing address: UInt64, in symbolizer: Symbolizer) throws -> OpaquePointer {
        try #require(dwfl_addrmodule(symbolizer.session, address))
    }

    /// Addresses around every `stride`-th symbol of `module`: its start, middle, last byte and
    /// the byte after it.
    private func probes(_ module: OpaquePointer, stride: Int) -> [UInt64] {
        let count = Int(dwfl_module_getsymtab(module))
        var addresses: [UInt64] = []
        for index in Swift.stride(from: 1, to: count, by: stride) {
            var symbol = GElf_Sym()
            var address: GElf_Addr = 0
            guard dwfl_module_getsym_info(module, Int32(index), &symbol, &address, nil, nil, nil) != nil,
                  symbol.st_shndx != SHN_UNDEF, address != 0 else { continue }
            addresses += [address, address + symbol.st_size / 2, address + max(symbol.st_size, 1) - 1, address + symbol.st_size]
        }
        return addresses
    }

    private func expectSameNames(_ module: OpaquePointer, in symbolizer: Symbolizer, stride: Int) -> Int {
        let table = symbolizer.symbolTable(of: module)
        var compared = 0
        for address in probes(module, stride: stride) {
            var offset: GElf_Off = 0
            var symbol = GElf_Sym()
            let expected = dwfl_module_addrinfo(module, address, &offset, &symbol, nil, nil, nil).map { String(cString: $0) }
            let actual = table.symbol(at: address).map { String(cString: $0.name) }
            #expect(actual == expected, "address 0x\(String(address, radix: 16))")
            compared += 1
        }
        return compared
    }

    @Test func namesLibcAddressesAsLibdwflDoes() throws {
        let symbolizer = try Symbolizer(pid: getpid())
        let getpidAddress = UInt64(UInt(bitPattern: dlsym(UnsafeMutableRawPointer(bitPattern: 0), "getpid")))
        let libc = try module(containing: getpidAddress, in: symbolizer)
        #expect(expectSameNames(libc, in: symbolizer, stride: 3) > 1000)
    }

    @Test func namesTestBinaryAddressesAsLibdwflDoes() throws {
        let symbolizer = try Symbolizer(pid: getpid())
        let binary = try module(containing: UInt64(UInt(bitPattern: knownFunctionAddress())), in: symbolizer)
        let count = Int(dwfl_module_getsymtab(binary))
        #expect(expectSameNames(binary, in: symbolizer, stride: max(1, count / 400)) > 1000)
    }

    @Test func anAddressBelowEverySymbolHasNone() throws {
        let symbolizer = try Symbolizer(pid: getpid())
        let binary = try module(containing: UInt64(UInt(bitPattern: knownFunctionAddress())), in: symbolizer)
        #expect(symbolizer.symbolTable(of: binary).symbol(at: 0) == nil)
    }
}
