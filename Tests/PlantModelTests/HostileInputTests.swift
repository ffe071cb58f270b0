import Foundation
import Testing
@testable import PlantModel

/// Hostile input (alias bombs, absurd nesting, binary garbage) that crashed or hung other gateways must give one clear error, quickly.
@Suite struct HostileInputTests {
    func firstError(_ yaml: String) -> ConfigDiagnostic? {
        if case .failure(let diagnostics) = ConfigLoader.load(yaml: yaml) { return diagnostics.errors.first }
        return nil
    }

    @Test func deepFlowNestingIsRefused() throws {
        let yaml = "site: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let error = try #require(firstError(yaml))
        #expect(error.description.contains("nesting deeper than 64 levels"))
        #expect(error.line == 1)
    }

    @Test func deepBlockNestingIsRefused() throws {
        var yaml = "site:\n"
        for level in 1...100 { yaml += String(repeating: "  ", count: level) + "k\(level):\n" }
        let error = try #require(firstError(yaml))
        #expect(error.description.contains("nesting deeper than"))
    }

    @Test func deepDashNestingIsRefused() throws {
        let error = try #require(firstError("devices:\n" + String(repeating: "- ", count: 5_000) + "x\n"))
        #expect(error.description.contains("nesting deeper than"))
    }

    @Test func billionLaughsIsRefusedWithoutExpansion() throws {
        var yaml = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let started = ContinuousClock.now
        let error = try #require(firstError(yaml))
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(error.description.contains("alias"))
    }

    @Test func fewAliasesThatStillExpandHugelyAreRefused() throws {
        // 3 aliases per level × 10 levels = 30 aliases (under the 32 limit), 3^10 ≈ 59,000 leaves.
        var yaml = "x0: &x0 [a, b, c, d, e, f, g, h, i, j]\n"
        for level in 1...10 { yaml += "x\(level): &x\(level) [*x\(level - 1), *x\(level - 1), *x\(level - 1)]\n" }
        let error = try #require(firstError(yaml))
        #expect(error.description.contains("more than 100000 values"))
    }

    @Test func binaryGarbageGivesAClearError() throws {
        var generator = SeededGenerator(seed: 7)
        let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = String(decoding: bytes, as: UTF8.self)
        let error = try #require(firstError(text))
        #expect(error.description.hasPrefix("plantgate.yaml:"))
    }

    @Test func nulBytesAreRefused() throws {
        let error = try #require(firstError("site: {id: a}\n\u{0}\u{1}\u{2}garbage"))
        #expect(error.description.contains("not valid YAML"))
    }

    @Test func emptyAndScalarDocumentsAreRefused() throws {
        #expect(try #require(firstError("")).description.contains("empty"))
        #expect(try #require(firstError("42")).description.contains("expected a mapping"))
        #expect(try #require(firstError("- a\n- b")).description.contains("expected a mapping"))
    }

    @Test func unreadableFileIsOneClearError() throws {
        let diagnostics = ConfigLoader.unreadable(path: "/nonexistent/plantgate.yaml")
        #expect(diagnostics.errors.count == 1)
        #expect(diagnostics.errors.first?.description.contains("/nonexistent/plantgate.yaml") == true)
        #expect(diagnostics.errors.first?.description.contains("cannot read the file") == true)
    }
}

/// SplitMix64: a small, seedable generator so that random tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
