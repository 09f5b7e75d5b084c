import Foundation
import Testing
import TestSupport

/// The shell completions swift-argument-parser generates from the built binary.
@Suite struct CompletionTests {
    /// The bash script names every subcommand and parses (`bash -n`).
    @Test func bashScriptNamesEverySubcommandAndParses() throws {
        let result = try Command.diag(["--generate-completion-script", "bash"])
        #expect(result.status == 0, "\(result.standardError)")
        var subcommands = ["cpu", "stack", "heap", "loop", "probe", "diff", "summary", "core", "gcore", "ps", "doctor", "metrics", "watch"]
        let help = try Command.diag(["--help"]).standardOutput
        if help.split(separator: "\n").contains(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("top ") }) { subcommands.append("top") }
        let words = Set(result.standardOutput.split { !$0.isLetter && !$0.isNumber && $0 != "-" }.map(String.init))
        for name in subcommands { #expect(words.contains(name), "\(name) missing") }
        let directory = try FixturePaths.temporaryDirectory("diag-completion")
        let path = "\(directory)/diag.bash"
        try result.standardOutput.write(toFile: path, atomically: true, encoding: .utf8)
        let check = try Command.run("/bin/bash", ["-n", path])
        #expect(check.status == 0, "\(check.standardError)")
        let sourced = try Command.run("/bin/bash", ["-c", "source \"$0\" && complete -p diag", path])
        #expect(sourced.status == 0 && sourced.standardOutput.contains("diag"), "\(sourced.standardError)")
    }
}
