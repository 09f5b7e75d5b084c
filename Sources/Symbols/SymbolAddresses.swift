import CLibdw
import Glibc

extension Symbolizer {
    /// The addresses (load bias applied) of symbols called one of `names` or starting with one
    /// of `prefixes`, in the modules whose path `inModule` accepts; the first module wins.
    public func symbolAddresses(inModule: (String) -> Bool, names: Set<String> = [], prefixes: [String] = []) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        let exactNames = names.map { Array($0.utf8CString) }
        for module in moduleHandles() {
            let name = dwfl_module_info(module, nil, nil, nil, nil, nil, nil, nil).map { String(cString: $0) } ?? ""
            guard inModule(name) else { continue }
            symbolTable(of: module).forEach(prefixedByAnyOf: prefixes + names) { text, address in
                guard exactNames.contains(where: { strcmp(text, $0) == 0 })
                        || prefixes.contains(where: { strncmp(text, $0, $0.utf8.count) == 0 }) else { return }
                let symbolName = String(cString: text)
                if result[symbolName] == nil { result[symbolName] = address }
            }
        }
        return result
    }

    /// The libdwfl modules of the session.
    public func moduleHandles() -> [OpaquePointer] {
        final class Collector { var modules: [OpaquePointer] = [] }
        let collector = Collector()
        _ = dwfl_getmodules(session, { module, _, _, _, argument in
            let collector = Unmanaged<Collector>.fromOpaque(argument!).takeUnretainedValue()
            if let module { collector.modules.append(module) }
            return Int32(DWARF_CB_OK)
        }, Unmanaged.passUnretained(collector).toOpaque(), 0)
        return collector.modules
    }
}
