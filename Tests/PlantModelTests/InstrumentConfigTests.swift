import Testing
@testable import PlantModel

/// `factors.market.instruments`: contractual instruments per month and line, each certificate claimed once.
@Suite struct InstrumentConfigTests {
    /// A config with lines ew-1 and ew-2; `instruments` is pasted at line 21 onwards.
    static func yaml(_ instruments: String, market: String = "CL-SEN") -> String {
        """
        site: {id: test-site, time_zone: America/Santiago}
        buses:
          - id: mcc
            tcp: {host: 127.0.0.1, port: 1502}
        devices:
          - {id: pm, bus: mcc, unit: 1, profile: schneider-pm5xxx}
          - {id: pm2, bus: mcc, unit: 2, profile: schneider-pm5xxx}
        lines:
          - id: ew-1
            product: {name: Cu cathode}
            inputs: [{tag: pm/energy_import, role: electricity_import}]
          - id: ew-2
            product: {name: Cu cathode}
            inputs: [{tag: pm2/energy_import, role: electricity_import}, {tag: pm2/energy_export, role: onsite_generation}]
        factors:
          grid: {id: g, kgco2e_per_kwh: 0.28, source: test}
          market:
            market: \(market)
            residual: {id: cl-residual, kgco2e_per_kwh: 0.4, source: test}
            instruments:
        \(instruments)
        """
    }

    static let good = """
              - {id: ppa-solar-03, type: ppa, line: ew-1, month: "2026-03", market: CL-SEN, mwh: 1200}
              - {id: irec-04, type: irec, line: ew-2, month: "2026-04", market: CL-SEN, mwh: 300, certificates: [IREC-1, IREC-2]}
        """

    @Test func instrumentsReachThePlanAndSurviveADump() throws {
        let loaded = try ConfigLoader.load(yaml: Self.yaml(Self.good)).get()
        let market = try #require(loaded.plan.site.factors.market)
        #expect(market.market == "CL-SEN" && market.instruments.map(\.id) == ["ppa-solar-03", "irec-04"])
        #expect(market.instruments[1].certificates == ["IREC-1", "IREC-2"] && market.instruments[1].renewable && market.instruments[1].month == 4)
        #expect(loaded.plan.lines[1].inputs[1].role == .onsiteGeneration)
        let again = try ConfigLoader.load(yaml: try ConfigDumper.dump(loaded.config), file: "dumped.yaml").get().config
        #expect(again.factors == loaded.config.factors)
    }

    @Test func aCertificateClaimedTwiceNamesBothPlaces() {
        let messages = Fixtures.messages(Self.yaml("""
              - {id: go-03, type: go, line: ew-1, month: "2026-03", market: CL-SEN, mwh: 10, certificates: [GO-7]}
              - {id: go-04, type: go, line: ew-2, month: "2026-04", market: CL-SEN, mwh: 10, certificates: [GO-8, GO-7]}
        """))
        #expect(messages.contains { $0.hasPrefix("plantgate.yaml:22: factors.market.instruments[1].certificates[1]: certificate GO-7 is already claimed at plantgate.yaml:21 (factors.market.instruments[0].certificates[0])") }, "got: \(messages)")
    }

    @Test(arguments: [
        (#"      - {id: x, type: ppa, line: ew-1, month: "2026-03", market: AR-SADI, mwh: 10}"#,
         "plantgate.yaml:21: factors.market.instruments[0].market: instrument market AR-SADI is not the site's market CL-SEN"),
        (#"      - {id: x, type: ppa, line: ew-9, month: "2026-03", market: CL-SEN, mwh: 10}"#,
         #"plantgate.yaml:21: factors.market.instruments[0].line: unknown line "ew-9""#),
        (#"      - {id: x, type: ppa, line: ew-1, month: "2026-13", market: CL-SEN, mwh: 10}"#,
         #"plantgate.yaml:21: factors.market.instruments[0].month: expected a month as "YYYY-MM""#),
        (#"      - {id: x, type: go, line: ew-1, month: "2026-03", market: CL-SEN, mwh: 10}"#,
         "plantgate.yaml:21: factors.market.instruments[0].certificates: a go instrument lists its certificate ids"),
    ])
    func mistakesAreNamedWithTheirPlace(instrument: String, expected: String) {
        let messages = Fixtures.messages(Self.yaml(instrument))
        #expect(messages.contains { $0.hasPrefix(expected) }, "got: \(messages)")
    }
}
