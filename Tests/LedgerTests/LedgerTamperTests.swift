import Foundation
import Testing
@testable import Ledger

/// Each way of falsifying a ledger is caught, at the entry where it happened.
@Suite struct LedgerTamperTests {
    @Test func aChangedByteInARecordIsCaught() throws {
        let sample = try SampleChain.make()
        var lines = sample.lines
        let text = String(decoding: lines[4], as: UTF8.self).replacingOccurrences(of: "\"v\":1202.5", with: "\"v\":1102.5")
        #expect(text != sample.entries[4].text)
        lines[4] = Array(text.utf8)
        let problem = try #require(LedgerVerifier().verify(lines).problem)
        #expect(problem.index == 5)
        guard case .hashMismatch = problem.kind else { Issue.record("\(problem)"); return }
    }

    @Test func aChangedByteWithARecomputedHashFailsTheSignature() throws {
        let sample = try SampleChain.make()
        var lines = sample.lines
        let entry = sample.entries[4]
        let signed = Array(String(decoding: entry.signedBytes, as: UTF8.self).replacingOccurrences(of: "\"v\":1202.5", with: "\"v\":1102.5").utf8)
        #expect(signed != Array(entry.signedBytes))
        let forged = String(decoding: signed, as: UTF8.self) + ",\"hash\":\"\(Hex.sha256(signed))\",\"sig\":\"\(Base64.encode(entry.signature))\"}"
        lines[4] = Array(forged.utf8)
        let problem = try #require(LedgerVerifier().verify(lines).problem)
        #expect(problem.index == 5)
        #expect(problem.kind == .badSignature(keyID: sample.firstKey.publicKey.id))
    }

    @Test func aDeletedEntryIsCaught() throws {
        let sample = try SampleChain.make()
        var lines = sample.lines
        lines.remove(at: 5)
        let problem = try #require(LedgerVerifier().verify(lines).problem)
        #expect(problem.index == 6)
        #expect(problem.kind == .numberGap(expected: 6, found: 7))
        #expect(problem.description.contains("entries 6…6 are missing"))
    }

    @Test func aReorderedPairIsCaught() throws {
        let sample = try SampleChain.make()
        var lines = sample.lines
        lines.swapAt(4, 5)
        let problem = try #require(LedgerVerifier().verify(lines).problem)
        #expect(problem.index == 5)
        #expect(problem.kind == .numberGap(expected: 5, found: 6))
    }

    @Test func aRecordReSignedWithAnotherKeyIsCaught() throws {
        let sample = try SampleChain.make()
        // The forger rebuilds the chain from entry 5 on with their own key, links and numbers intact.
        var forger = LedgerChain(site: "salar-norte", signer: SoftwareSigner(), after: sample.entries[3])
        var lines = Array(sample.lines[..<4])
        lines.append(try forger.append(SampleChain.record(line: "cathode", seq: 2, kwh: 1), kind: "period", at: "2026-12-01T02:00:00Z").bytes)
        let problem = try #require(LedgerVerifier().verify(lines).problem)
        #expect(problem.index == 5)
        #expect(problem.kind == .wrongKey(signedWith: forger.signer.publicKey.id, active: sample.firstKey.publicKey.id))
    }

    @Test func aForgedKeyIdWithTheForgersSignatureIsCaught() throws {
        let sample = try SampleChain.make()
        let forger = SoftwareSigner()
        let entry = sample.entries[4]
        let signed = Array(entry.signedBytes)
        let forged = String(decoding: signed, as: UTF8.self) + ",\"hash\":\"\(entry.hash)\",\"sig\":\"\(Base64.encode(try forger.sign(signed)))\"}"
        var lines = sample.lines
        lines[4] = Array(forged.utf8)
        #expect(LedgerVerifier().verify(lines).problem?.kind == .badSignature(keyID: sample.firstKey.publicKey.id))
    }

    @Test func aMissingPeriodRecordAcrossARebuiltChainIsCaughtBySeq() throws {
        // Records of one line skipping a seq (the box itself never does this), correctly chained and signed.
        var chain = LedgerChain(site: "s", signer: SoftwareSigner())
        var lines = [try chain.append(.keyCreated(chain.signer.publicKey), at: "t").bytes]
        lines.append(try chain.append(SampleChain.record(line: "lioh", seq: 1, kwh: 1), kind: "period", at: "t").bytes)
        lines.append(try chain.append(SampleChain.record(line: "lioh", seq: 3, kwh: 1), kind: "period", at: "t").bytes)
        #expect(LedgerVerifier().verify(lines).problem?.kind == .recordSeqGap(line: "lioh", period: "hour", expected: 2, found: 3))
    }

    @Test func aLineThatIsNotAnEntryIsReportedAsMalformed() {
        let problem = LedgerVerifier().verify([Array("{\"line\":\"lioh\"}".utf8)]).problem
        #expect(problem?.index == 1)
        guard case .malformed = problem?.kind else { Issue.record("\(String(describing: problem))"); return }
    }
}

/// Period records as an MQTT subscriber captured them: no events, repeats, a topic before each payload.
@Suite struct CapturedRecordsTests {
    static func capture(_ sample: SampleChain) -> [[UInt8]] {
        sample.entries.filter { $0.header.kind == "period" }.map { entry in
            Array("plantgate/salar-norte/lines/\(entry.header.line ?? "")/periods/hour ".utf8) + entry.bytes
        }
    }

    @Test func aCaptureWithRepeatsVerifiesWithThePublishedKey() throws {
        let sample = try SampleChain.make()
        var lines = Self.capture(sample)
        lines.insert(lines[2], at: 4)
        let result = LedgerVerifier(trustedKeys: [sample.firstKey.publicKey]).verifyRecords(lines)
        #expect(result.problem == nil)
        #expect(result.periodRecords == 8)
        #expect(LedgerVerifier().verifyRecords(lines).problem?.kind == .unknownKey(sample.firstKey.publicKey.id))
    }

    @Test func aMissingOrChangedRecordInACaptureIsCaught() throws {
        let sample = try SampleChain.make()
        var missing = Self.capture(sample)
        missing.remove(at: 2)
        let verifier = LedgerVerifier(trustedKeys: [sample.firstKey.publicKey])
        #expect(verifier.verifyRecords(missing).problem?.kind == .recordSeqGap(line: "lioh", period: "hour", expected: 2, found: 3))
        var changed = Self.capture(sample)
        changed[0] = Array(String(decoding: changed[0], as: UTF8.self).replacingOccurrences(of: "1201.5", with: "1101.5").utf8)
        guard case .hashMismatch = verifier.verifyRecords(changed).problem?.kind else { Issue.record("changed record verified"); return }
    }
}
