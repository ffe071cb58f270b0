import Foundation
import Testing
@testable import PlantModel

/// A bounded, seeded fuzz of the loader on mutated example configs: every variant either loads or
/// is refused with at least one diagnostic that has a line number. Never a crash or a hang.
@Suite struct ConfigFuzzTests {
    static let mutations = 2_000

    static func mutate(_ text: String, using generator: inout SeededGenerator) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let pieces = ["0", "-1", "70000", "0ms", "[", "]", "{", "}", ":", "- ", "&a", "*a", "\"", "'", "#", "\t", "?", "flaot32",
                      "holding:", "nan", "1e309", "~", "\u{0}", "é", "|", ">", "%", "@", "`"]
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            guard !lines.isEmpty else { break }
            let index = Int.random(in: 0..<lines.count, using: &generator)
            switch Int.random(in: 0..<7, using: &generator) {
            case 0: lines.remove(at: index)
            case 1: lines.insert(lines[Int.random(in: 0..<lines.count, using: &generator)], at: index)
            case 2:
                var line = Array(lines[index])
                if !line.isEmpty { line.remove(at: Int.random(in: 0..<line.count, using: &generator)) }
                lines[index] = String(line)
            case 3:
                var line = lines[index]
                let piece = pieces.randomElement(using: &generator) ?? ""
                let offset = Int.random(in: 0...line.count, using: &generator)
                line.insert(contentsOf: piece, at: line.index(line.startIndex, offsetBy: offset))
                lines[index] = line
            case 4: lines[index] = "  " + lines[index]
            case 5: lines = Array(lines.prefix(index))
            default:
                let words = lines[index].split(separator: " ")
                if let word = words.randomElement(using: &generator) {
                    lines[index] = lines[index].replacingOccurrences(of: word, with: pieces.randomElement(using: &generator) ?? "")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test func mutatedExamplesLoadOrExplainWhy() throws {
        let examples = [try Fixtures.example("lithium-hydroxide"), try Fixtures.example("hydromet-copper")]
        var generator = SeededGenerator(seed: 2024)
        var refused = 0
        let started = ContinuousClock.now
        for round in 0..<Self.mutations {
            let text = Self.mutate(examples[round % 2], using: &generator)
            switch ConfigLoader.load(yaml: text) {
            case .success(let loaded):
                #expect(!loaded.plan.tags.isEmpty)
            case .failure(let diagnostics):
                refused += 1
                #expect(!diagnostics.errors.isEmpty)
                #expect(diagnostics.errors.contains { $0.line > 0 }, "round \(round): \(diagnostics.errors)")
            }
        }
        #expect(refused > Self.mutations / 4)
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    /// Every input libFuzzer ever crashed the loader with (Fuzz/run.sh keeps them in Fuzz/regressions/config/)
    /// loads or is refused with a diagnostic, here in the ordinary test run too.
    @Test func keptFuzzCrashesLoadOrExplainWhy() throws {
        let directory = Fixtures.repository.appendingPathComponent("Fuzz/regressions/config")
        let kept = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
        for name in kept {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            guard let text = String(data: data, encoding: .utf8) else { continue }
            if case .failure(let diagnostics) = ConfigLoader.load(yaml: text) {
                #expect(!diagnostics.errors.isEmpty, "\(name)")
            }
        }
    }
}
