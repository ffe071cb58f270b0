import Foundation
import Testing
import TestSupport
@testable import Ledger

/// The export format stands on its own: docs/verify-ledger.py (Python 3 and PyNaCl, no plantgate code)
/// verifies what plantgate writes, and both verifiers reject every tampered copy.
@Suite struct IndependentVerifierTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/verify-ledger.py").path

    /// Writes an export (header and `lines`) and runs the Python verifier on it.
    static func python(_ lines: [[UInt8]], keys: [LedgerPublicKey], requiredKey: String? = nil) async throws -> ProcessResult {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("export.jsonl").path
        var text = LedgerExportHeader.line(site: "salar-norte", keys: keys, from: nil, to: nil) + "\n"
        for line in lines { text += String(decoding: line, as: UTF8.self) + "\n" }
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return try await ProcessRunner.run("/usr/bin/python3", [script, file] + (requiredKey.map { [$0] } ?? []), timeout: .seconds(30))
    }

    @Test func pythonVerifiesAnExportPlantgateWrote() async throws {
        var sample = try SampleChain.make()
        let next = SoftwareSigner()
        sample.add(try sample.chain.rotate(to: next, at: "2026-12-01T06:00:00Z"))
        sample.add(try sample.chain.append(SampleChain.record(line: "lioh", seq: 5, kwh: 1), kind: "period", at: "2026-12-01T07:00:00Z"))
        let result = try await Self.python(sample.lines, keys: [sample.firstKey.publicKey, next.publicKey], requiredKey: sample.firstKey.publicKey.id)
        #expect(result.exitCode == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput == "OK 12 entries\n")
        #expect(LedgerVerifier().verify(sample.lines).problem == nil)
    }

    @Test func pythonRejectsAChainThatStartsWithAnotherKey() async throws {
        let sample = try SampleChain.make()
        let result = try await Self.python(sample.lines, keys: [], requiredKey: SoftwareSigner().publicKey.id)
        #expect(result.exitCode == 1)
        #expect(result.standardOutput.contains("chain starts with key \(sample.firstKey.publicKey.id)"))
    }

    enum Tamper: String, CaseIterable, Sendable {
        case changedByte, deletedEntry, reorderedPair, reSignedWithAnotherKey

        func apply(to sample: SampleChain) throws -> [[UInt8]] {
            var lines = sample.lines
            switch self {
            case .changedByte:
                lines[4] = Array(sample.entries[4].text.replacingOccurrences(of: "\"v\":1202.5", with: "\"v\":1102.5").utf8)
            case .deletedEntry:
                lines.remove(at: 5)
            case .reorderedPair:
                lines.swapAt(4, 5)
            case .reSignedWithAnotherKey:
                var forger = LedgerChain(site: "salar-norte", signer: SoftwareSigner(), after: sample.entries[3])
                lines[4] = try forger.append(SampleChain.record(line: "lioh", seq: 2, kwh: 9), kind: "period", at: "2026-12-01T02:00:00Z").bytes
            }
            return lines
        }
    }

    @Test(arguments: Tamper.allCases)
    func bothVerifiersCatchTheTamperedEntry(_ tamper: Tamper) async throws {
        let sample = try SampleChain.make()
        let lines = try tamper.apply(to: sample)
        let swift = try #require(LedgerVerifier(trustedKeys: [sample.firstKey.publicKey]).verify(lines).problem)
        // The entry after a deleted one is the first that cannot link; the others break at the fifth.
        #expect(swift.index == (tamper == .deletedEntry ? 6 : 5), "\(swift)")
        let python = try await Self.python(lines, keys: [sample.firstKey.publicKey])
        #expect(python.exitCode == 1, "\(python.standardOutput)\(python.standardError)")
        #expect(python.standardOutput.hasPrefix("BROKEN entry n="), "\(python.standardOutput)\(python.standardError)")
    }
}
