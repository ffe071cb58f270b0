import Foundation
import TestSupport
import Testing

@Suite("plantgate --help and completions")
struct HelpTests {
    @Test(arguments: [
        ([], "Diagnose and commission"),
        (["check"], "--config"),
        (["profiles"], "--json"),
        (["status"], "--socket"),
        (["watch"], "--interval"),
        (["probe"], "--read"),
        (["scan"], "--units"),
    ])
    func everyCommandHasHelp(command: [String], mentions: String) async throws {
        let result = try await PlantgateBinary.run(command + ["--help"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("USAGE: plantgate"))
        #expect(result.standardOutput.contains(mentions))
    }

    @Test func everyOptionHasAHelpLine() async throws {
        for command in ["check", "profiles", "status", "watch", "probe", "scan"] {
            let result = try await PlantgateBinary.run([command, "--help"])
            let options = result.outputLines.filter { $0.hasPrefix("  -") }
            for option in options where !option.contains("--help") {
                let name = option.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? option
                let described = option.split(separator: " ", omittingEmptySubsequences: true).count > 2
                    || result.standardOutput.components(separatedBy: option).last?.split(separator: "\n").first?.hasPrefix("    ") == true
                #expect(described, "plantgate \(command) \(name) has no help text")
            }
        }
    }

    @Test func bashCompletionOffersYAMLFilesForConfigPaths() async throws {
        let result = try await PlantgateBinary.run(["--generate-completion-script", "bash"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("yaml|yml"))
        #expect(result.standardOutput.contains("eh-promag"), "profile names complete")
    }

    /// ArgumentParser wraps the overview itself (lines under 80 columns off a terminal): a hard line break in the
    /// text shows as a line cut short in mid-sentence. Inside a paragraph, a line ends only where the
    /// next word would not have fitted.
    @Test(arguments: ["sim", "check", "status", "watch", "scan", "probe"])
    func overviewParagraphsAreNotCutMidSentence(command: String) async throws {
        let result = try await PlantgateBinary.run([command, "--help"])
        let overview = result.standardOutput.components(separatedBy: "USAGE:").first ?? ""
        let paragraphs = overview.components(separatedBy: "\n\n").map { $0.split(separator: "\n").map(String.init) }
        for paragraph in paragraphs where paragraph.count > 1 {
            for (line, next) in zip(paragraph, paragraph.dropFirst()) {
                let nextWord = next.split(separator: " ").first.map(String.init) ?? ""
                #expect(line.count + 1 + nextWord.count >= 80, "plantgate \(command) --help: cut short before \"\(nextWord)\": \"\(line)\"")
            }
        }
    }

    @Test func unknownOptionIsAUsageError() async throws {
        let result = try await PlantgateBinary.run(["status", "--bogus"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("--bogus"))
    }
}
