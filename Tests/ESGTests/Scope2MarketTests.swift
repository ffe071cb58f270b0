import ESG
import PlantModel
import Testing

/// Market-based Scope 2 with contractual instruments: allocation, matching to the period, renewable share.
@Suite struct Scope2MarketTests {
    static let residual = EmissionFactor(id: "cl-residual-2024", value: 0.5, unit: "kgCO2e/kWh", source: "test", vintage: 2024)

    @Test func instrumentsCoverInOrderAndTheResidualMixTheRest() {
        let a = Scope2Allocation(purchasedKWh: 1_000, onsiteKWh: 0, supplies: [
            .init(kwh: 300, kgCO2ePerKWh: 0, renewable: true), .init(kwh: 500, kgCO2ePerKWh: 0.1, renewable: false),
        ], residualKgCO2ePerKWh: 0.5)
        #expect(a.coveredKWh == 800 && a.residualKWh == 200)
        #expect(abs(a.kgCO2e - (500 * 0.1 + 200 * 0.5)) < 1e-9)
        #expect(a.renewableShare == 0.3)
    }

    @Test func moreInstrumentThanConsumptionIsNotCarriedNorCounted() {
        let a = Scope2Allocation(purchasedKWh: 100, onsiteKWh: 50, supplies: [.init(kwh: 400, kgCO2ePerKWh: 0, renewable: true)], residualKgCO2ePerKWh: 0.5)
        #expect(a.coveredKWh == 100 && a.residualKWh == 0 && a.kgCO2e == 0)
        // All 100 kWh purchased are covered, and the 50 kWh from the roof are renewable too.
        #expect(a.renewableShare == 1 && a.consumedKWh == 150)
    }

    @Test func onSiteGenerationIsRenewableWithoutScope2() {
        let a = Scope2Allocation(purchasedKWh: 900, onsiteKWh: 100, supplies: [], residualKgCO2ePerKWh: 0.5)
        #expect(a.kgCO2e == 450 && a.renewableShare == 0.1)
    }

    /// Line with an import counter (tag 0, kWh) and a PV meter (tag 1, kWh); 1,000 kWh/h purchased, 100 kWh/h PV.
    static let line = LineDefinition(id: "ew-1", name: "EW", product: ProductBasis(name: "Cu", lceFactor: nil, minimumTonnes: 1), inputs: [
        Fixture.counter(0, "pm/energy_import", .electricityImport, rate: 100_000),
        Fixture.counter(1, "pv/energy", .onsiteGeneration, rate: 100_000),
    ])

    static func instrument(_ id: String, line: String = "ew-1", month: Int, mwh: Double, factor: Double = 0, certificates: [String] = []) -> ContractualInstrument {
        ContractualInstrument(id: id, kind: "go", line: line, year: 2024, month: month, market: "DE", mwh: mwh, kgCO2ePerKWh: factor,
                              renewable: factor == 0, certificates: certificates)
    }

    @Test func anHourGetsItsShareOfTheMonthsInstrumentsAndNoneOfOtherMonths() throws {
        // May 2024 has 744 h: 744 MWh of GOs make 1,000 kWh available to each hour; the April and June ones none.
        let market = MarketBasedFactors(instrumentShare: 0, instrument: Self.residual, residual: Self.residual, market: "DE", instruments: [
            Self.instrument("go-april", month: 4, mwh: 5_000), Self.instrument("go-may", month: 5, mwh: 372, certificates: ["GO-1"]),
            Self.instrument("go-june", month: 6, mwh: 5_000), Self.instrument("go-other-line", line: "other", month: 5, mwh: 5_000),
        ])
        var f = try Feeder(site: Fixture.site(market: market), lines: [Self.line], epoch: FormulaTests.hour10)
        for s in 0...3600 {
            f.sample(0, 1_000 * Double(s) / 3600, at: Double(s))
            f.sample(1, 100 * Double(s) / 3600, at: Double(s))
        }
        f.advance(to: 3610)
        let r = try #require(f.record(.hour, startingAt: 0))
        // 500 kWh covered by go-may (372 MWh / 744 h), 500 kWh at the residual 0.5 kg/kWh.
        let mb = try #require(r.metric("scope2_mb_tco2e"))
        #expect(close(mb.value, 0.25, rel: 1e-9) && mb.quality == .good)
        #expect(close(r.metric("renewable_electricity_share")?.value, 600.0 / 1_100, rel: 1e-9))
        #expect(close(r.metric("electricity_onsite_renewable_kwh")?.value, 100, rel: 1e-9))
        #expect(r.factors.map(\.role) == ["grid", "market_residual", "instrument:go-april", "instrument:go-may", "instrument:go-june"])
        let json = r.json()
        print("[scope2] hour record: \(json)")
        #expect(json.contains("\"instrument:go-may\":{\"id\":\"go-may\",\"value\":0,\"unit\":\"kgCO2e/kWh\",\"source\":\"go 2024-05 DE 372 MWh GO-1\",\"vintage\":2024}"), "\(json)")
    }

    @Test func withoutInstrumentsTheRecordIsUnchanged() throws {
        let r = try FormulaTests.steadyHour()
        #expect(r.metric("renewable_electricity_share") == nil && !r.factors.contains { $0.role.hasPrefix("instrument:") })
        #expect(close(r.metric("scope2_mb_tco2e")?.value, 0.3, rel: 1e-9))
    }
}
