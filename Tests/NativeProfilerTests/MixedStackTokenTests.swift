import NativeProfiler
import Testing

/// The small pieces of `--mixed` that need no process: stack tokens and builtins remapping.
@Suite struct MixedStackTokenTests {
    @Test func tokensRoundTripAndNeverLookLikeUserAddresses() {
        for index in [0, 1, 4096, 1 << 30] {
            #expect(MixedStackRewriter.functionIndex(of: MixedStackRewriter.token(for: index)) == index)
        }
        // x86_64 user space ends below 2^47.
        for address: UInt64 in [0, 0x400000, 0x7fff_ffff_f000] {
            #expect(MixedStackRewriter.functionIndex(of: address) == nil)
        }
    }

    @Test func remappedBuiltinsAreSymbolizedAtTheirLinkedAddress() {
        let builtins = EmbeddedBuiltins(linkedStart: 0x18c_4000, runningStart: 0x7fed_93e4_0000, size: 0x19_1ac0)
        #expect(builtins.contains(0x18c_4000) && builtins.contains(0x7fed_93e4_0010))
        #expect(!builtins.contains(0x18c_4000 + 0x19_1ac0) && !builtins.contains(0x7fed_93e3_ffff))
        #expect(builtins.linkedAddress(0x7fed_93e4_0123) == 0x18c_4123)
        #expect(builtins.linkedAddress(0x18c_4123) == 0x18c_4123)
        #expect(builtins.linkedAddress(0x1000) == 0x1000)
    }
}
