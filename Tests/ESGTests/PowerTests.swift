import ESG
import PlantModel
import Testing

/// Energy from integrated power when a line has no import counter (§5.2), and live rolling values.
@Suite struct PowerTests {
    static let line = LineDefinition(id: "p", name: "p", product: ProductBasis(name: "t", lceFactor: nil, minimumTonnes: 1), inputs: [
        LineInput(tag: 0, tagPath: "pm/power_total", role: .activePower, toBase: 0.001)])

    @Test func trapezoidOfPositivePowerWithGapsOverMaxGapNotBridged() throws {
        var f = try Feeder(site: Fixture.site(), lines: [Self.line], epoch: FormulaTests.hour10)
        // 360 kW for 0…1800 s at 1 s polls, a 60 s silence (not bridged), then -100 kW export (P⁺ = 0).
        for s in 0...1800 { f.sample(0, 360_000, at: Double(s)) }
        f.advance(to: 1800)
        let live = f.live.first { $0.metric == "power_kw" && $0.window == .oneMinute }
        #expect(close(live?.value.value, 360, rel: 1e-9))
        for s in 1860...3600 { f.sample(0, -100_000, at: Double(s)) }
        f.advance(to: 3610)
        let r = try #require(f.record(.hour, startingAt: 0))
        let e = try #require(r.metric("electricity_import_kwh"))
        #expect(close(e.value, 360 * 0.5, rel: 1e-9))
        #expect(close(e.coverage, (3600 - 60) / 3600.0, rel: 1e-9) && e.quality == .good)
    }
}
