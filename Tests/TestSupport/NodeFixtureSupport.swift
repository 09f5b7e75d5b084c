import Foundation
import NodeInspector
import TargetProcess

/// A Node fixture started without any inspector flag. NODE_OPTIONS=--inspect-port=0 only
/// chooses the port SIGUSR1 will open (a random one), so that parallel tests never compete
/// for 9229.
public struct NodeService {
    public let process: FixtureProcess
    /// The HTTP port the fixture printed in its ready line.
    public let appPort: UInt16

    public var pid: Int32 { process.pid }

    public init(_ script: String, environment: [String: String] = [:]) throws {
        var merged = ["NODE_OPTIONS": "--inspect-port=0", "FIXTURE_LIFETIME": "180"]
        merged.merge(environment) { $1 }
        process = try FixtureProcess.node(script, environment: merged, timeout: 60)
        appPort = try Self.port(from: process)
    }

    public init(wrapping process: FixtureProcess) throws {
        self.process = process
        appPort = try Self.port(from: process)
    }

    private static func port(from process: FixtureProcess) throws -> UInt16 {
        guard let line = process.startupOutput.last, let port = line.split(separator: " ").last.flatMap({ UInt16($0) }) else {
            throw FixtureError("no port in \(process.startupOutput)")
        }
        return port
    }

    /// Ports the process listens on besides its own HTTP port: an open inspector.
    public var otherListeningPorts: [UInt16] {
        ListeningSockets.of(pid: pid).map(\.port).filter { $0 != appPort }
    }

    /// True when the service answers an HTTP request.
    public var answersHTTP: Bool {
        (try? LoopbackHTTP.get(port: appPort, path: "/", timeout: 10))?.status == 200
    }

    /// Waits until `condition` holds, up to `timeout` seconds.
    public static func wait(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }
}

/// Runs ../shared/devtools-check (the real Chrome DevTools, headless) on a file.
public enum DevToolsCheck {
    public static let script = "/work/shared/devtools-check/devtools_check.py"

    public static var isAvailable: Bool { FileManager.default.fileExists(atPath: script) && Command.exists("python3") }

    /// DevTools' JSON summary of the file, and whether DevTools accepted it.
    public static func run(_ kind: String, _ file: String, extra: [String] = []) throws -> (accepted: Bool, summary: [String: Any]) {
        let result = try Command.run("/usr/bin/env", ["python3", script, kind, file] + extra, timeout: 240)
        let summary = (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))) as? [String: Any] ?? [:]
        return (result.status == 0 && summary["ok"] as? Bool == true, summary)
    }
}

/// Runs diag in the background, for tests that interrupt or kill it. Its standard error is
/// collected as it comes, so a test can wait for a line.
public final class BackgroundDiag: @unchecked Sendable {
    public let process = Process()
    private let errorPipe = Pipe()
    private let lock = NSLock()
    private var collected = Data()

    public init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: FixturePaths.diagExecutable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorPipe
        process.standardInput = FileHandle.nullDevice
        errorPipe.fileHandleForReading.readabilityHandler = { [unowned self] handle in
            let data = handle.availableData
            lock.withLock { collected.append(data) }
        }
        try process.run()
    }

    deinit {
        errorPipe.fileHandleForReading.readabilityHandler = nil
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Standard error so far.
    public var standardError: String { lock.withLock { String(decoding: collected, as: UTF8.self) } }

    /// Waits until standard error contains `text`; false on timeout or when diag exited first.
    public func waitForStandardError(containing text: String, timeout: Double) -> Bool {
        NodeService.wait(timeout: timeout) { standardError.contains(text) || !process.isRunning } && standardError.contains(text)
    }

    /// Waits for exit; the exit status and standard error.
    public func finish(timeout: Double) -> (status: Int32?, standardError: String) {
        let exited = NodeService.wait(timeout: timeout) { !process.isRunning }
        if !exited { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        errorPipe.fileHandleForReading.readabilityHandler = nil
        let rest = errorPipe.fileHandleForReading.readDataToEndOfFile()
        let text = lock.withLock { () -> String in
            collected.append(rest)
            return String(decoding: collected, as: UTF8.self)
        }
        return (exited ? process.terminationStatus : nil, text)
    }
}

public func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

public func fileMode(_ path: String) -> Int? {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue
}

/// The 0-based line of the first line of `file` that contains `text`.
public func lineIndex(of text: String, in file: String) throws -> Int {
    let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
    guard let index = lines.firstIndex(where: { $0.contains(text) }) else { throw FixtureError("\(text) not in \(file)") }
    return index
}
