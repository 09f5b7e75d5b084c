import Foundation

/// Script URLs by V8 script id, from the `NAME.scripts.json` file `diag heap` writes beside
/// `NAME.heapsnapshot` (`{"pid": …, "scripts": {"12": "file:///app/server.js", …}}`).
public struct ScriptNames: Sendable {
    public private(set) var urls: [UInt32: String] = [:]

    public init(urls: [UInt32: String] = [:]) { self.urls = urls }

    /// The side file of `snapshotPath`, or no names when it is absent or unreadable.
    public init(besideSnapshot snapshotPath: String) {
        let suffix = ".heapsnapshot"
        let base = snapshotPath.hasSuffix(suffix) ? String(snapshotPath.dropLast(suffix.count)) : snapshotPath
        guard let data = FileManager.default.contents(atPath: base + ".scripts.json"), data.count < 64 << 20,
              let parsed = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let scripts = parsed["scripts"] as? [String: Any] else { return }
        for (id, url) in scripts {
            if let number = UInt32(id), let text = url as? String { urls[number] = text }
        }
    }

    /// The file name a person recognises (`server.js` for `file:///app/server.js`), or nil.
    public func fileName(of scriptId: UInt32) -> String? {
        guard let url = urls[scriptId], !url.isEmpty else { return nil }
        return url.split(separator: "/").last.map(String.init) ?? url
    }
}
