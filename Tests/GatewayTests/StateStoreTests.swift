import ESG
import Foundation
import Gateway
import PlantModel
import Testing
import TestSupport

/// The state store keeps the engine snapshot and the records of the periods it has just closed together.
@Suite("State store: snapshot and pending period records")
struct StateStoreTests {
    static let site = SiteDefinition(id: "kz", timeZone: "UTC", shiftStarts: [],
                                     factors: EmissionFactors(grid: EmissionFactor(id: "g", value: 0.8, unit: "kgCO2e/kWh", source: "t"), fuels: [:]))
    static let line = LineDefinition(id: "l1", name: "L1", product: ProductBasis(name: "t", lceFactor: nil, minimumTonnes: 0.1), inputs: [
        LineInput(tag: 0, tagPath: "pm/energy_import", role: .electricityImport, counter: CounterSpec(modulus: nil, maxRatePerHour: 1_000)),
    ])

    /// An engine that has read the counter at 10:59:59 and 11:00:01 and closed the 10:00 hour.
    func engineAfterClosingAnHour() throws -> (MetricEngine, [PeriodRecord], Instant) {
        let t0: Int64 = 1_767_265_200_000_000_000   // 2026-01-01T11:00:00Z
        func at(_ seconds: Int64) -> Instant { Instant(wallNanos: t0 + seconds * 1_000_000_000, monoNanos: 1_000_000_000_000 + seconds * 1_000_000_000) }
        var engine = try MetricEngine(site: Self.site, lines: [Self.line], start: at(-600))
        engine.ingest(Sample(tag: 0, value: 100, quality: .good, time: at(-1)))
        engine.ingest(Sample(tag: 0, value: 100.2, quality: .good, time: at(1)))
        let records = engine.advance(to: at(10)).filter { $0.period == .hour }
        return (engine, records, at(10))
    }

    @Test func pendingRecordsSurviveAReopenAndTheNextSaveClearsThem() throws {
        let directory = try temporaryDirectory("plantgate-state")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (engine, records, now) = try engineAfterClosingAnHour()
        #expect(records.count == 1)
        let pending = records.map { PendingPeriod(topic: "p/kz/lines/\($0.line)/periods/hour", payload: Array($0.json().utf8)) }
        do {
            let store = try StateStore(directory: directory.path)
            try store.save(engine.snapshot(at: now), savedAt: "now", pending: pending)
        }
        let reopened = try StateStore(directory: directory.path)
        #expect(try reopened.pendingPeriods() == pending)
        // The stored state is the one after the close: restoring it closes nothing again.
        var restored = try MetricEngine(site: Self.site, lines: [Self.line], start: now)
        try restored.restore(from: try #require(try reopened.load()))
        #expect(restored.advance(to: now).filter { $0.period == .hour }.isEmpty)
        try reopened.save(engine.snapshot(at: now), savedAt: "later")
        #expect(try reopened.pendingPeriods().isEmpty)
        #expect(try reopened.integrityCheck() == "ok")
    }
}
