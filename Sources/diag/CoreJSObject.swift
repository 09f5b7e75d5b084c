import DiagSupport

/// `diag core CORE --js-object ADDRESS`: not built yet.
enum CoreJSObject {
    static func run(core: String, address: String, report: ReportOptions) throws {
        throw DiagError(.notImplemented, "diag core --js-object is not implemented yet")
    }
}
