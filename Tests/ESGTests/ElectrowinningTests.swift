import ESG
import PlantModel
import Testing

/// Electrowinning current efficiency, cell voltage and DC kWh per tonne over closed periods (metrics.md §EW).
@Suite struct ElectrowinningTests {
    static let spec = ElectrowinningSpec(metal: .cu, cells: 100)

    /// Tags: 0 DC current (A), 1 DC energy (kWh counter) or DC voltage (V), 2 cathode (kg counter).
    static func line(voltage: Bool, metal: ElectrowonMetal = .cu) -> LineDefinition {
        let dc = voltage
            ? LineInput(tag: 1, tagPath: "rect/dc_voltage", role: .dcVoltage)
            : Fixture.counter(1, "rect/dc_energy", .dcEnergy, rate: 1_000_000)
        return LineDefinition(id: "ew-1", name: "EW", product: ProductBasis(name: "Cu cathode", lceFactor: nil, minimumTonnes: 0.2), inputs: [
            LineInput(tag: 0, tagPath: "rect/dc_current", role: .dcCurrent),
            dc,
            Fixture.counter(2, "scale/total", .cathode, toBase: 0.001, rate: 100),
        ], electrowinning: ElectrowinningSpec(metal: metal, cells: 100))
    }

    @Test func faradayConstantsGiveTheTextbookCopperYield() {
        // 1.1855 g of copper (1.0950 g of nickel) per ampere-hour per cell: M × 3600 / (2 × 96485.33212).
        let perCell = ElectrowinningSpec(metal: .cu, cells: 1).tonnesPerAmpereHour * 1e6
        #expect(abs(perCell - 1.18549) < 1e-5)
        let nickel = ElectrowinningSpec(metal: .ni, cells: 1).tonnesPerAmpereHour * 1e6
        #expect(abs(nickel - 1.09496) < 1e-5)
    }

    /// One hour at 30 kA and 2.0 V per cell with the cathode scale counting 92 % of Faraday's mass.
    func runHour(voltage: Bool, efficiency: Double, cellVolts: Double = 2.0) throws -> PeriodRecord {
        var f = try Feeder(site: Fixture.site(), lines: [Self.line(voltage: voltage)], epoch: FormulaTests.hour10)
        let amperes = 30_000.0
        let tPerSecond = amperes * Self.spec.tonnesPerAmpereHour / 3600 * efficiency
        let kWhPerSecond = amperes * cellVolts * 100 / 1000 / 3600
        for s in 0...3600 {
            let t = Double(s)
            f.sample(1, voltage ? cellVolts * 100 : 5_000 + kWhPerSecond * t, at: t)
            f.sample(0, amperes, at: t)
            f.sample(2, 1_000 * (100 + tPerSecond * t), at: t)
        }
        f.advance(to: 3610)
        return try #require(f.record(.hour, startingAt: 0))
    }

    @Test(arguments: [false, true])
    func currentEfficiencyAndDCEnergyPerTonneFromEnergyOrVoltage(voltage: Bool) throws {
        let r = try runHour(voltage: voltage, efficiency: 0.92)
        let theoretical = 30_000 * Self.spec.tonnesPerAmpereHour
        #expect(close(r.metric("ew_charge_kah")?.value, 30, rel: 1e-9))
        #expect(close(r.metric("ew_dc_energy_kwh")?.value, 6_000, rel: 1e-6))
        #expect(close(r.metric("ew_cathode_t")?.value, theoretical * 0.92, rel: 1e-6))
        let ce = try #require(r.metric("ew_current_efficiency"))
        #expect(close(ce.value, 0.92, rel: 1e-6) && ce.quality == .good && ce.reasons.isEmpty)
        #expect(close(r.metric("ew_cell_voltage_v")?.value, 2.0, rel: 1e-6))
        let perTonne = try #require(r.metric("ew_dc_kwh_per_t"))
        #expect(close(perTonne.value, 6_000 / (theoretical * 0.92), rel: 1e-6) && perTonne.quality == .good)
        #expect(r.json().contains("\"ew_current_efficiency\":{\"v\":"))
    }

    @Test func implausibleEfficiencyIsUncertainNotAnError() throws {
        let r = try runHour(voltage: false, efficiency: 0.7)
        let ce = try #require(r.metric("ew_current_efficiency"))
        #expect(close(ce.value, 0.7, rel: 1e-6))
        #expect(ce.quality == .uncertain && ce.reasons.codes == ["IMPLAUSIBLE"])
        // 2.0 V per cell at 70 %: 2,410 kWh/t, above the 1,700–2,100 kWh/t a copper tankhouse runs at.
        let perTonne = try #require(r.metric("ew_dc_kwh_per_t"))
        #expect((perTonne.value ?? 0) > 2_100 && perTonne.quality == .uncertain && perTonne.reasons.contains(.implausible))
    }

    @Test func perTonneIsOnlyJudgedAtCopperCellVoltages() throws {
        // 3.5 V per cell (nickel-like): 3,800 kWh/t is not judged against copper's range.
        let r = try runHour(voltage: false, efficiency: 0.92, cellVolts: 3.5)
        let perTonne = try #require(r.metric("ew_dc_kwh_per_t"))
        #expect((perTonne.value ?? 0) > 3_000 && perTonne.quality == .good && perTonne.reasons.isEmpty)
    }

    @Test func aLineWithoutElectrowinningPublishesNoEWMetrics() throws {
        var f = try Feeder(site: Fixture.site(), lines: [Fixture.lioh()], epoch: FormulaTests.hour10)
        for s in 0...3600 { f.sample(0, Double(s) * 1000, at: Double(s)) }
        f.advance(to: 3610)
        let r = try #require(f.record(.hour, startingAt: 0))
        #expect(!r.metrics.contains { $0.id.hasPrefix("ew_") })
    }
}
