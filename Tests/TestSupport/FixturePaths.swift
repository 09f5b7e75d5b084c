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

    /// A fresh private temporary directory, removed by the caller when done (or left in /tmp).
    public static func temporaryDirectory(_ prefix: String = "diag-test") throws -> String {
        var template = Array("\(NSTemporaryDirectory())/\(prefix)-XXXXXX".utf8CString)
        guard let path = mkdtemp(&template) else { throw FixtureError("mkdtemp failed") }
        return String(cString: path)
    }
}

/// A problem preparing or running a fixture.
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
