import CDwflShim
import Foundation

/// Turns linker symbol names back into source names: C++ and legacy Rust (Itanium ABI,
/// through the C++ runtime) and Swift (through the Swift runtime). Other names, C among
/// them, come back unchanged.
public enum Demangler {
    public static func demangle(_ symbol: String) -> String {
        if symbol.hasPrefix("$s") || symbol.hasPrefix("_$s") || symbol.hasPrefix("$S") || symbol.hasPrefix("_T0") {
            return demangleSwift(symbol) ?? symbol
        }
        if symbol.hasPrefix("_Z") {
            guard let pointer = diag_demangle_itanium(symbol) else { return symbol }
            defer { free(pointer) }
            return removingRustHash(String(cString: pointer))
        }
        return symbol
    }

    private static func demangleSwift(_ symbol: String) -> String? {
        let utf8 = Array(symbol.utf8)
        let demangled = utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                swift_demangle(chars.baseAddress!, chars.count, nil, nil, 0)
            }
        }
        guard let demangled else { return nil }
        defer { free(demangled) }
        return String(cString: demangled)
    }

    /// Legacy Rust symbols end in `::h` and 16 hex digits, a hash nobody wants to read.
    private static func removingRustHash(_ name: String) -> String {
        guard name.count > 19, let range = name.range(of: "::h", options: .backwards) else { return name }
        let hash = name[range.upperBound...]
        guard hash.count == 16, hash.allSatisfy(\.isHexDigit) else { return name }
        return String(name[..<range.lowerBound])
    }
}

/// The Swift runtime's demangler entry point (exported by libswiftCore).
@_silgen_name("swift_demangle")
private func swift_demangle(_ mangledName: UnsafePointer<CChar>, _ mangledNameLength: Int,
                            _ outputBuffer: UnsafeMutablePointer<CChar>?,
                            _ outputBufferSize: UnsafeMutablePointer<Int>?,
                            _ flags: UInt32) -> UnsafeMutablePointer<CChar>?
