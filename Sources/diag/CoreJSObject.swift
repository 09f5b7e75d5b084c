import CoreDump
import DiagSupport

/// `diag core CORE --js-object ADDRESS`: one object, its properties and its holders.
enum CoreJSObject {
    static func run(core: String, address: String, report: ReportOptions) throws {
        let description = try JSObjectDescription.describe(path: core, address: address)
        if report.json { try JSONOutput.print(description) } else if !report.quiet { Terminal.printOut(render(description)) }
    }

    static func render(_ d: JSObjectDescription) -> String {
        var text = "\(d.address) \(d.constructor) (\(d.bytes) bytes)\n"
        if !d.properties.isEmpty {
            text += "properties:\n" + d.properties.map { "  \($0.name): \($0.value)\n" }.joined()
        }
        if let count = d.elementCount {
            text += "elements: \(count)\(count > d.elements.count ? ", the first \(d.elements.count)" : "")\n"
                + d.elements.map { "  \($0.name): \($0.value)\n" }.joined()
        }
        text += d.heldBy.isEmpty ? "held by: nothing in the heap (a root, a stack or a handle may hold it)\n"
            : "held by\(d.heldByIsComplete ? "" : " (the first \(d.heldBy.count))"):\n"
            + d.heldBy.map { "  \($0.address) \($0.constructor) \($0.edge)\n" }.joined()
        return text
    }
}
