import ESG
import Foundation
import PlantModel
import Testing

/// A reload hands the engine over: unchanged lines go on exactly as if nothing happened; a changed line
/// closes nothing early and its records say CONFIG with the new revision.
@Suite struct ReloadEngineTests {
    static let site = Fixture.site(shifts: [480, 1200])

    static func line(_ id: String, tag: TagIndex, rate: Double = 3600, product: String = "t") -> LineDefinition {
        LineDefinition(id: id, name: id, product: ProductBasis(name: product, lceFactor: nil, minimumTonnes: 1), inputs: [
            Fixture.counter(tag, "\(id)/energy_import", .electricityImport, rate: rate)])
    }

    /// Feeds both lines 0.5 kWh/s from `from` to `to` s, advancing every 5 s.
    static func run(_ f: inout Feeder, tags: [TagIndex], from: Int, to: Int) {
        for s in from...to {
            for tag in tags { f.sample(tag, 100 + 0.5 * Double(s), at: Double(s)) }
            if s % 5 == 0 { f.advance(to: Double(s) + 0.2) }
        }
    }

    @Test func unchangedLinesGoOnExactlyAndAChangedOneSaysConfig() throws {
        let lines = [Self.line("a", tag: 0), Self.line("b", tag: 1)]
        var reference = try Feeder(site: Self.site, lines: lines, epoch: FormulaTests.hour10)
        var reloaded = try Feeder(site: Self.site, lines: lines, epoch: FormulaTests.hour10)
        Self.run(&reference, tags: [0, 1], from: 0, to: 1000)
        Self.run(&reloaded, tags: [0, 1], from: 0, to: 1000)
        // The reload: a device added before both (tags move), line b's product basis changed.
        let next = [Self.line("a", tag: 5), Self.line("b", tag: 6, product: "t LCE")]
        var engine = try MetricEngine(site: Self.site, lines: next, start: reloaded.instant(1000.5))
        let changed = try engine.adopt(reloaded.engine, now: reloaded.instant(1000.5), revision: "abc123")
        #expect(changed == ["b"])
        reloaded.engine = engine
        Self.run(&reference, tags: [0, 1], from: 1001, to: 3700)
        Self.run(&reloaded, tags: [5, 6], from: 1001, to: 3700)

        let liveA = { (f: Feeder) in f.live.filter { $0.line == "a" && $0.wallNanos > f.instant(1000.5).wallNanos } }
        #expect(!liveA(reference).isEmpty && liveA(reloaded) == liveA(reference))
        let recordsA = { (f: Feeder) in f.records.filter { $0.line == "a" } }
        #expect(!recordsA(reference).isEmpty && recordsA(reloaded) == recordsA(reference))

        let hourB = try #require(reloaded.records.first { $0.line == "b" && $0.period == .hour })
        let hourBefore = try #require(reference.records.first { $0.line == "b" && $0.period == .hour })
        #expect(hourB.span == hourBefore.span && hourB.seq == hourBefore.seq)
        #expect(hourB.reasons.codes == ["CONFIG"] && hourB.configRevision == "abc123")
        #expect(hourB.metric("electricity_import_kwh") == hourBefore.metric("electricity_import_kwh"))
        #expect(hourB.json().contains("\"config_revision\":\"abc123\""))
        // The quarter that opened after the reload is clean.
        let lastQuarterB = try #require(reloaded.records.last { $0.line == "b" && $0.period == .quarterHour })
        #expect(lastQuarterB.reasons.isEmpty && lastQuarterB.configRevision == nil)
        #expect(reloaded.records.count == reference.records.count)
    }
}
