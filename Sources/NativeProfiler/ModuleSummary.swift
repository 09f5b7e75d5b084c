/// A module that appears in a profile or stack dump: its path, GNU build-id (to find the
/// exact binary and its debug information later) and whether DWARF was found for it.
public struct ModuleSummary: Codable, Sendable, Equatable {
    public var path: String
    public var buildID: String?
    public var hasDebugInfo: Bool

    /// Describes each module from one address inside it, in path order.
    static func describe(_ addressByModule: [String: UInt64], resolver: FrameResolver) -> [ModuleSummary] {
        addressByModule.sorted { $0.key < $1.key }.map { path, address in
            let info = resolver.module(at: address)
            return ModuleSummary(path: path, buildID: info?.buildID, hasDebugInfo: info?.hasDebugInfo ?? false)
        }
    }
}
