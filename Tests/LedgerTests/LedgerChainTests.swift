import Foundation
import Testing
@testable import Ledger

/// A small chain as the daemon writes one: key-created, start, period records of two lines, a rotation.
struct SampleChain {
    var chain: LedgerChain
    var entries: [LedgerEntry] = []
    let firstKey = SoftwareSigner()

    init() {
        chain = LedgerChain(site: "salar-norte", signer: firstKey)
    }

    static func record(line: String, seq: UInt64, kwh: Double) -> String {
        "{\"line\":\"\(line)\",\"period\":\"hour\",\"start\":\"2026-12-01T0\(seq):00:00Z\",\"seq\":\(seq),"
            + "\"metrics\":{\"energy\":{\"v\":\(kwh),\"u\":\"kWh\",\"q\":\"good\",\"cov\":1,\"est\":0}}}"
    }

    static func make(records: Int = 4) throws -> SampleChain {
        var sample = SampleChain()
        try sample.add(sample.chain.append(.keyCreated(sample.firstKey.publicKey), at: "2026-12-01T00:00:00Z"))
        try sample.add(sample.chain.append(.started(version: "1.0", revision: "abc"), at: "2026-12-01T00:00:01Z"))
        for seq in 1...UInt64(records) {
            try sample.add(sample.chain.append(record(line: "lioh", seq: seq, kwh: 1200.5 + Double(seq)), kind: "period", at: "2026-12-01T0\(seq):00:00Z"))
            try sample.add(sample.chain.append(record(line: "cathode", seq: seq, kwh: 830), kind: "period", at: "2026-12-01T0\(seq):00:00Z"))
        }
        return sample
    }

    mutating func add(_ entry: LedgerEntry) { entries.append(entry) }

    var lines: [[UInt8]] { entries.map(\.bytes) }
}

@Suite struct LedgerChainTests {
    @Test func aWrittenChainVerifies() throws {
        let sample = try SampleChain.make()
        let result = LedgerVerifier().verify(sample.lines)
        #expect(result.problem == nil)
        #expect(result.verified == 10)
        #expect(result.periodRecords == 8)
        #expect(result.events == 2)
        #expect(result.keyIDs == [sample.firstKey.publicKey.id])
    }

    @Test func theSignedBytesAreThePublishedBytesUpToTheTrailer() throws {
        let sample = try SampleChain.make(records: 1)
        let entry = sample.entries[2]
        let text = entry.text
        let cut = try #require(text.range(of: ",\"hash\":\"", options: .backwards))
        let signed = Array(text[..<cut.lowerBound].utf8)
        #expect(Array(entry.signedBytes) == signed)
        #expect(sample.firstKey.publicKey.verifies(entry.signature, of: signed))
        #expect(text.hasPrefix(SampleChain.record(line: "lioh", seq: 1, kwh: 1201.5).dropLast() + ",\"ledger\":{\"v\":1,\"site\":\"salar-norte\",\"n\":3,"))
        #expect(entry.sealedObject == SampleChain.record(line: "lioh", seq: 1, kwh: 1201.5))
        #expect(sample.entries[1].sealedObject == LedgerEvent.started(version: "1.0", revision: "abc").json)
        // The whole line is still one JSON object for ordinary subscribers.
        let object = try #require(try JSONSerialization.jsonObject(with: Data(entry.bytes)) as? [String: Any])
        #expect(object["line"] as? String == "lioh")
        #expect((object["ledger"] as? [String: Any])?["prev"] as? String == sample.entries[1].hash)
    }

    @Test func eachEntryLinksToTheHashOfTheOneBefore() throws {
        let sample = try SampleChain.make(records: 2)
        #expect(sample.entries[0].header.previousHash == LedgerChain.genesisHash)
        for (earlier, later) in zip(sample.entries, sample.entries.dropFirst()) {
            #expect(later.header.previousHash == earlier.hash)
            #expect(later.header.number == earlier.header.number + 1)
        }
    }

    @Test func aChainContinuesAfterItsLastStoredEntry() throws {
        var sample = try SampleChain.make(records: 1)
        var resumed = LedgerChain(site: "salar-norte", signer: sample.firstKey, after: sample.entries.last)
        sample.add(try resumed.append(.stopped(reason: "SIGTERM"), at: "2026-12-01T05:00:00Z"))
        #expect(LedgerVerifier().verify(sample.lines).problem == nil)
    }

    @Test func aRotationSignedWithTheOldKeyHandsOverToTheNewKey() throws {
        var sample = try SampleChain.make(records: 1)
        let next = SoftwareSigner()
        sample.add(try sample.chain.rotate(to: next, at: "2026-12-01T06:00:00Z"))
        sample.add(try sample.chain.append(SampleChain.record(line: "lioh", seq: 2, kwh: 1), kind: "period", at: "2026-12-01T07:00:00Z"))
        let result = LedgerVerifier().verify(sample.lines)
        #expect(result.problem == nil)
        #expect(result.keyIDs == [sample.firstKey.publicKey.id, next.publicKey.id])
        #expect(sample.entries.last?.header.keyID == next.publicKey.id)
    }

    @Test func anExportRangeVerifiesWithTheKeyFromOutside() throws {
        let sample = try SampleChain.make()
        let middle = Array(sample.lines[3...7])
        #expect(LedgerVerifier().verify(middle).problem?.kind == .unknownKey(sample.firstKey.publicKey.id))
        #expect(LedgerVerifier(trustedKeys: [sample.firstKey.publicKey]).verify(middle).problem == nil)
    }

    @Test func eventsAreSmallJSONObjects() {
        let event = LedgerEvent.meter(reason: "ROLLOVER", line: "lioh", period: "hour", label: "2026-12-01T03",
                                      tag: "feeder/import_kwh", unit: "kWh", before: 99990, after: 12.5)
        #expect(event.json == "{\"event\":\"meter-rollover\",\"line\":\"lioh\",\"period\":\"hour\",\"label\":\"2026-12-01T03\","
            + "\"tag\":\"feeder/import_kwh\",\"u\":\"kWh\",\"reading_start\":99990,\"reading_end\":12.5}")
        #expect(LedgerEvent.configChanged(from: "a1", to: "b2").json == "{\"event\":\"config-change\",\"old_revision\":\"a1\",\"new_revision\":\"b2\"}")
    }

    @Test func theKeyIdIsDerivedFromThePublicKey() throws {
        let signer = try SoftwareSigner(seed: [UInt8](repeating: 7, count: 32))
        let again = try SoftwareSigner(seed: signer.seed)
        #expect(signer.publicKey == again.publicKey)
        #expect(signer.publicKey.id.hasPrefix("ed25519:"))
        #expect(signer.publicKey.id.count == "ed25519:".count + 16)
        #expect(LedgerPublicKey(base64: signer.publicKey.base64) == signer.publicKey)
    }
}

@Suite struct LedgerReplayMarkTests {
    @Test func aRecordReplayedWithTheOutboxMarkStillVerifies() throws {
        let sample = try SampleChain.make(records: 1)
        var lines = sample.lines
        lines[2] = Array("{\"hist\":true,".utf8) + lines[2].dropFirst()
        #expect(LedgerVerifier().verify(lines).problem == nil)
        #expect(try LedgerEntry(bytes: lines[2]).bytes == sample.entries[2].bytes)
    }
}
