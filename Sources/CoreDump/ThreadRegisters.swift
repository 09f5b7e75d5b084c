import CSystemShim
import DiagSupport
import Glibc

/// The register sets of one stopped thread, as the core notes store them.
public struct ThreadRegisters: Sendable {
    public var tid: Int32
    /// `struct user_regs_struct`: 27 × 8 bytes, the pr_reg of NT_PRSTATUS.
    public var general: [UInt8]
    /// `struct user_fpregs_struct` (FXSAVE, 512 bytes) for NT_FPREGSET, when readable.
    public var floatingPoint: [UInt8]?
    /// The XSAVE area for NT_X86_XSTATE (its size depends on the CPU), when readable.
    public var extendedState: [UInt8]?

    enum Request {
        static let getFloatingPointRegisters: Int32 = 14
        static let getRegisterSet: Int32 = 0x4204
    }

    static let extendedStateNote: UInt = 0x202
    static let generalSize = RegisterNames.x86_64.count * 8

    /// Reads the registers of stopped thread `tid`.
    public static func read(tid: Int32) throws -> ThreadRegisters {
        var general = [UInt8](repeating: 0, count: generalSize)
        let status = general.withUnsafeMutableBytes { diag_ptrace(12, tid, nil, $0.baseAddress) }
        guard status == 0 else { throw DiagError.system("cannot read the registers of thread \(tid)", errno: errno) }
        var floatingPoint: [UInt8]? = [UInt8](repeating: 0, count: 512)
        if floatingPoint!.withUnsafeMutableBytes({ diag_ptrace(Request.getFloatingPointRegisters, tid, nil, $0.baseAddress) }) != 0 {
            floatingPoint = nil
        }
        var extended = [UInt8](repeating: 0, count: 1 << 16)
        let extendedLength: Int? = extended.withUnsafeMutableBytes { buffer in
            var vector = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
            let result = diag_ptrace(Request.getRegisterSet, tid, UnsafeMutableRawPointer(bitPattern: extendedStateNote), &vector)
            return result == 0 ? vector.iov_len : nil
        }
        return ThreadRegisters(tid: tid, general: general, floatingPoint: floatingPoint,
                               extendedState: extendedLength.map { Array(extended.prefix($0)) })
    }
}
