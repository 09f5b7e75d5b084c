import Foundation
import TestSupport
import Testing

/// The command line as a user meets it: help, version, errors and exit codes.
@Suite struct CommandLineTests {
    static let subcommands = ["cpu", "stack", "heap", "loop", "probe", "diff", "summary", "core", "gcore", "ps", "doctor", "metrics", "watch", "top"]

    @Test func helpListsEverySubcommand() throws {
        let result = try Command.diag(["--help"])
        #expect(result.status == 0)
        for name in Self.subcommands {
            #expect(result.standardOutput.contains("\n  \(name) "), "help does not list \(name)")
        }
    }

    @Test func versionIsPrinted() throws {
        let result = try Command.diag(["--version"])
        #expect(result.status == 0)
        #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test(arguments: subcommands)
    func everySubcommandHasHelp(name: String) throws {
        let result = try Command.diag([name, "--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("USAGE: diag \(name)"))
    }

    @Test func aMissingProcessIsNamed() throws {
        let result = try Command.diag(["doctor", "999999999"])
        #expect(result.status == 2)
        #expect(result.standardError == "diag: no such process 999999999\n")
    }

    @Test func badDurationsAreUsageErrors() throws {
        let result = try Command.diag(["cpu", "1", "--duration", "ten seconds"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--duration"))
    }

    @Test func badSamplerChoicesAreUsageErrors() throws {
        let unknown = try Command.diag(["cpu", "1", "--sampler", "ebpf"])
        #expect(unknown.status == 64)
        #expect(unknown.standardError.contains("--sampler must be auto, perf or ptrace"))
        let idle = try Command.diag(["cpu", "1", "--sampler", "perf", "--idle"])
        #expect(idle.status == 64)
        #expect(idle.standardError.contains("--idle needs --sampler ptrace or auto"))
        let stack = try Command.diag(["cpu", "1", "--stack-size", "1MiB"])
        #expect(stack.status == 64)
        #expect(stack.standardError.contains("--stack-size must be between 4KiB and 63KiB"))
    }

    @Test func aNegativePidIsAUsageError() throws {
        let result = try Command.diag(["stack", "--", "-5"])
        #expect(result.status == 64)
    }

    @Test func manualRendersWithoutWarnings() throws {
        let result = try Command.run("/usr/bin/env", ["MANWIDTH=80", "man", "--warnings", "-l", "\(FixturePaths.repository)/man/diag.1"])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty, "man warnings: \(result.standardError)")
        #expect(result.standardOutput.contains("EXIT STATUS"))
    }

    /// Every option that `diag NAME --help` lists appears in the manual and the README.
    @Test(arguments: subcommands)
    func everyOptionIsDocumented(name: String) throws {
        let help = try Command.diag([name, "--help"]).standardOutput
        let options = Set(help.split(whereSeparator: { " ,\n[]".contains($0) })
            .filter { $0.hasPrefix("--") && $0.count > 2 }
            .map { String($0.prefix { $0 == "-" || $0.isLetter || $0.isNumber }) })
            .subtracting(["--help", "--version"])
        let manual = try String(contentsOfFile: "\(FixturePaths.repository)/man/diag.1", encoding: .utf8)
        let readme = try String(contentsOfFile: "\(FixturePaths.repository)/README.md", encoding: .utf8)
        for option in options {
            #expect(manual.contains(option.replacingOccurrences(of: "-", with: "\\-")), "man page lacks \(name) \(option)")
            #expect(readme.contains(option), "README lacks \(name) \(option)")
        }
    }

    @Test func manualDocumentsEverySubcommand() throws {
        let manual = try String(contentsOfFile: "\(FixturePaths.repository)/man/diag.1", encoding: .utf8)
        let readme = try String(contentsOfFile: "\(FixturePaths.repository)/README.md", encoding: .utf8)
        for name in Self.subcommands {
            #expect(manual.contains(".SS \"diag \(name)"), "man page lacks \(name)")
            #expect(readme.contains("diag \(name)"), "README lacks \(name)")
        }
    }
}
