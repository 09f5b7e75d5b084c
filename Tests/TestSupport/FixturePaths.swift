import Foundation

/// Where the test fixtures and the built diag binary are.
public enum FixturePaths {
    /// The repository's `Tests/Fixtures` folder.
    public static let fixtures: String = {
        let here = URL(fileURLWithPath: #filePath)  // Tests/TestSupport/FixturePaths.swift
        return here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }()

    /// The repository root.
    public static let repository: String = {
        URL(fileURLWithPath: fixtures).deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// The `diag` executable built next to the test bundle.
    public static let diagExecutable: String = {
        let testBinary = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
        return testBinary.deletingLastPathComponent().appendingPathComponent("diag").path
    }()

    /// A fresh private temporary directory, removed with everything in it when the test
    /// process exits.
    public static func temporaryDirectory(_ prefix: String = "diag-test") throws -> String {
        var template = Array("\(NSTemporaryDirectory())/\(prefix)-XXXXXX".utf8CString)
        guard let path = mkdtemp(&template) else { throw FixtureError("mkdtemp failed") }
        let directory = String(cString: path)
        TemporaryDirectoryRegistry.shared.add(directory)
        return directory
    }
}

/// A problem preparing or running a fixture.
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The temporary directories the tests made, removed when the test process exits normally
/// (cores and snapshots would otherwise pile up in /tmp run after run).
final class TemporaryDirectoryRegistry: @unchecked Sendable {
    static let shared = TemporaryDirectoryRegistry()
    private var directories: [String] = []
    private let lock = NSLock()

    private init() {
        atexit {
            for directory in TemporaryDirectoryRegistry.shared.snapshot() {
                try? FileManager.default.removeItem(atPath: directory)
            }
        }
    }

    func add(_ directory: String) { lock.withLock { directories.append(directory) } }
    func snapshot() -> [String] { lock.withLock { directories } }
}
