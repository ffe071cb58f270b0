@testable import ESG
import Foundation
import Ledger
import Logging
import PlantModel
import Testing
import TestSupport
@testable import Gateway

/// The daemon's ledger writer on a real state directory: key file, chain across reopen, a period closed
/// again after a crash, meter events.
@Suite struct LedgerWriterTests {
    static let logger = Logger(label: "ledger-test")

    static func record(seq: UInt64, start: Int64, counterReasons: ReasonSet = []) -> PeriodRecord {
        PeriodRecord(
            line: "lioh-1", period: .hour, span: PeriodSpan(start: start, end: start + 3_600_000_000_000, label: "h\(seq)"), seq: seq,
            metrics: [.init(id: "electricity_import_kwh", unit: "kWh", value: MetricValue(value: 812.5, quality: .good, coverage: 1, estimatedShare: 0))],
            reasons: counterReasons,
            counters: [.init(tagPath: "pm-main/energy_import", unit: "Wh", rawStart: 4_294_960_000, rawEnd: 805_000, reasons: counterReasons)],
            factors: [], gwpSet: "AR6", productBasis: "LiOH·H2O")
    }

    @Test func recordsAndEventsChainAcrossReopenAndAReclose() throws {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: Self.logger)
        let mode = try FileManager.default.attributesOfItem(atPath: LedgerKeyFile.path(in: directory.path))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let first = writer.seal(Self.record(seq: 1, start: 0))
        let rolled = writer.seal(Self.record(seq: 2, start: 3_600_000_000_000, counterReasons: .rollover))
        // The same period closed again (a restart from older state): the stored bytes, no new entry.
        #expect(writer.seal(Self.record(seq: 2, start: 3_600_000_000_000, counterReasons: .rollover)) == rolled)
        #expect(first != rolled)
        writer.close()

        let reopened = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: Self.logger)
        #expect(reopened.publicKey == writer.publicKey)
        reopened.append(.configChanged(from: "a1", to: "b2"))
        reopened.flush()

        let store = try LedgerStore(directory: directory.path, readOnly: true)
        let lines = try store.lines()
        let names = lines.compactMap { try? LedgerEntry(bytes: $0).header }.map { $0.event ?? "period \($0.recordSeq ?? 0)" }
        #expect(names == ["key-created", "period 1", "period 2", "meter-rollover", "config-change"])
        #expect(String(decoding: lines[3], as: UTF8.self).contains("\"reading_start\":4294960000,\"reading_end\":805000"))
        let result = LedgerVerifier().verify(lines)
        #expect(result.problem == nil)
        #expect(result.keyIDs == [writer.publicKey.id])
        #expect(Array(String(decoding: rolled, as: UTF8.self).utf8) == lines[2])
    }

    /// Harvest records (per electrowinning cycle, not on the calendar) share the chain with the hours and
    /// number their own seqs: interleaved, the chain verifies.
    @Test func harvestRecordsChainBesideTheHoursWithTheirOwnSeqs() throws {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: Self.logger)
        let hour: Int64 = 3_600_000_000_000
        func harvest(_ seq: UInt64, start: Int64) -> PeriodRecord {
            var record = Self.record(seq: seq, start: start)
            record.line = "ew-1"
            record.period = .harvest
            record.span = PeriodSpan(start: start, end: start + 6 * hour, label: "harvest \(500 + seq)")
            record.metrics = [.init(id: "ew_current_efficiency", unit: "1", value: MetricValue(value: 0.92, quality: .good, coverage: 1, estimatedShare: 0))]
            return record
        }
        _ = writer.seal(Self.record(seq: 1, start: 0))
        let first = writer.seal(harvest(1, start: -5 * hour))
        _ = writer.seal(Self.record(seq: 2, start: hour))
        _ = writer.seal(harvest(2, start: hour))
        writer.flush()
        let lines = try LedgerStore(directory: directory.path, readOnly: true).lines()
        let result = LedgerVerifier().verify(lines)
        #expect(result.problem == nil, "\(String(describing: result.problem))")
        #expect(result.periodRecords == 4)
        #expect(String(decoding: first, as: UTF8.self).contains(#""period":"harvest""#))
        // A harvest seq skipped is a gap in the harvests, whatever the hours do.
        _ = writer.seal(harvest(4, start: 7 * hour))
        writer.flush()
        let gap = LedgerVerifier().verify(try LedgerStore(directory: directory.path, readOnly: true).lines())
        #expect(gap.problem?.kind == .recordSeqGap(line: "ew-1", period: "harvest", expected: 3, found: 4))
    }

    @Test func aSeqClosedAgainForAnotherPeriodIsKeptAndShowsInVerification() throws {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: Self.logger)
        _ = writer.seal(Self.record(seq: 1, start: 0))
        // Engine state lost: seq 1 again, for a later hour.
        _ = writer.seal(Self.record(seq: 1, start: 7_200_000_000_000))
        writer.flush()
        let result = LedgerVerifier().verify(try LedgerStore(directory: directory.path, readOnly: true).lines())
        #expect(result.problem?.kind == .recordSeqGap(line: "lioh-1", period: "hour", expected: 2, found: 1))
    }

    /// A record the state store kept as pending across a SIGKILL: sent again as stored when its entry made
    /// it to the ledger; signed again as a new entry when it did not (it was never published).
    @Test func aPendingRecordIsSentAsStoredOrSealedAgain() throws {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: Self.logger)
        let stored = writer.seal(Self.record(seq: 1, start: 0))
        writer.close()
        // Signed on a chain that went on from the same head, but never stored: the process died first.
        let store = try LedgerStore(directory: directory.path)
        var lost = LedgerChain(site: "kz-lioh", signer: try LedgerKeyFile.load(in: directory.path), after: try store.last())
        let unstored = try lost.append(Self.record(seq: 2, start: 3_600_000_000_000).json(), kind: "period", at: "1970-01-01T02:00:00.000Z")

        let reopened = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: Self.logger)
        reopened.append(.started(version: "test", revision: "r1"))
        #expect(reopened.reseal(stored) == stored)
        let resealed = try LedgerEntry(bytes: reopened.reseal(unstored.bytes))
        reopened.close()
        #expect(resealed.header.recordSeq == 2 && resealed.header.number == 4 && resealed.bytes != unstored.bytes)
        #expect(resealed.text.hasPrefix(String(Self.record(seq: 2, start: 3_600_000_000_000).json().dropLast())))
        let lines = try LedgerStore(directory: directory.path, readOnly: true).lines()
        #expect(lines.last == resealed.bytes)
        #expect(LedgerVerifier().verify(lines).problem == nil)
    }

    @Test func anotherSitesStateDirectoryIsRefused() throws {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: Self.logger)
        #expect(throws: LedgerStoreError.self) { try LedgerWriter(directory: directory.path, site: "cl-copper", logger: Self.logger) }
    }
}
