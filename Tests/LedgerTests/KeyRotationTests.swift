import Foundation
import Testing
import TestSupport
@testable import Ledger

/// A key rotation as both verifiers (ours and docs/verify-ledger.py) follow it: the old key signs the
/// announcement, the new key everything after it, and nothing else is accepted.
@Suite struct KeyRotationTests {
    /// key-created, start, 2 × 2 records, key-rotated (entry 7), then 2 records with the new key.
    static func rotated() throws -> (sample: SampleChain, next: SoftwareSigner) {
        var sample = try SampleChain.make(records: 2)
        let next = SoftwareSigner()
        sample.add(try sample.chain.rotate(to: next, at: "2026-12-01T06:00:00Z"))
        sample.add(try sample.chain.append(SampleChain.record(line: "lioh", seq: 3, kwh: 1), kind: "period", at: "2026-12-01T07:00:00Z"))
        sample.add(try sample.chain.append(SampleChain.record(line: "cathode", seq: 3, kwh: 2), kind: "period", at: "2026-12-01T07:00:00Z"))
        return (sample, next)
    }

    @Test func bothVerifiersFollowARotation() async throws {
        let (sample, next) = try Self.rotated()
        let keys = [sample.firstKey.publicKey, next.publicKey]
        let result = LedgerVerifier(trustedKeys: keys).verify(sample.lines)
        #expect(result.problem == nil)
        #expect(result.keyIDs == [sample.firstKey.publicKey.id, next.publicKey.id])
        let python = try await IndependentVerifierTests.python(sample.lines, keys: keys, requiredKey: sample.firstKey.publicKey.id)
        #expect(python.exitCode == 0 && python.standardOutput == "OK 9 entries\n", "\(python.standardOutput)\(python.standardError)")
    }

    enum Forgery: String, CaseIterable, Sendable {
        /// A record signed with the new key before the entry that announces it.
        case newKeyBeforeTheAnnouncement
        /// The announcement signed with the new key instead of the old one.
        case announcementSignedByTheNewKey
        /// A key-rotated entry to a key of the forger's, signed by the forger.
        case announcementByAnotherKey

        /// The forged lines and the 1-based position of the first entry that must fail.
        func apply(_ sample: SampleChain, _ next: SoftwareSigner) throws -> (lines: [[UInt8]], broken: Int) {
            var lines = sample.lines
            switch self {
            case .newKeyBeforeTheAnnouncement:
                var forged = LedgerChain(site: "salar-norte", signer: next, after: sample.entries[3])
                lines[4] = try forged.append(SampleChain.record(line: "lioh", seq: 2, kwh: 1202.5), kind: "period", at: "2026-12-01T02:00:00Z").bytes
                return (lines, 5)
            case .announcementSignedByTheNewKey:
                var forged = LedgerChain(site: "salar-norte", signer: next, after: sample.entries[5])
                lines[6] = try forged.append(.keyRotated(to: next.publicKey), at: "2026-12-01T06:00:00Z").bytes
                return (lines, 7)
            case .announcementByAnotherKey:
                let forger = SoftwareSigner()
                var forged = LedgerChain(site: "salar-norte", signer: forger, after: sample.entries[5])
                lines[6] = try forged.rotate(to: forger, at: "2026-12-01T06:00:00Z").bytes
                lines[7] = try forged.append(SampleChain.record(line: "lioh", seq: 3, kwh: 9), kind: "period", at: "2026-12-01T07:00:00Z").bytes
                return (Array(lines[...7]), 7)
            }
        }
    }

    @Test(arguments: Forgery.allCases)
    func bothVerifiersRejectAForgedRotation(_ forgery: Forgery) async throws {
        let (sample, next) = try Self.rotated()
        let (lines, broken) = try forgery.apply(sample, next)
        // The export header lists every key the entries announce, the forged ones too.
        let keys = LedgerExportHeader.announcedKeys(in: lines) + [next.publicKey]
        let problem = try #require(LedgerVerifier(trustedKeys: keys).verify(lines).problem)
        #expect(problem.index == broken, "\(problem)")
        guard case .wrongKey = problem.kind else {
            Issue.record("expected a wrong key, got \(problem)")
            return
        }
        let python = try await IndependentVerifierTests.python(lines, keys: keys)
        #expect(python.exitCode == 1, "\(python.standardOutput)\(python.standardError)")
        #expect(python.standardOutput.hasPrefix("BROKEN entry n=\(broken): signed with"), "\(python.standardOutput)\(python.standardError)")
    }
}
