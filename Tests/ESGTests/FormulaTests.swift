import ESG
import Foundation
import PlantModel
import Testing

/// One steady hour of the lithium-hydroxide line, every metric against hand-computed values.
@Suite struct FormulaTests {
    /// 2024-05-01T10:00:00Z
    static let hour10: Int64 = 1_714_557_600

    /// Feeds steady rates per hour from 09:59:59 to 11:00:00 at 1 s polls and closes hour 10.
    static func steadyHour(productPerHour: Double = 2.5, market: MarketBasedFactors? = Fixture.market) throws -> PeriodRecord {
        var f = try Feeder(site: Fixture.site(market: market), lines: [Fixture.lioh()], epoch: hour10 - 1)
        let rates: [Double] = [1_000_000, 100_000, 426_000, 500, 28, 22, 40, productPerHour]
        let base: [Double] = [5e9, 1e6, 2e8, 1_000_000, 12_345, 6_789, 100, 50]
        for s in 0...3601 {
            let h = Double(s) / 3600
            for (tag, rate) in rates.enumerated() { f.sample(TagIndex(tag), base[tag] + rate * h, at: Double(s)) }
            f.sample(8, 1000, at: Double(s))
        }
        f.advance(to: 3601 + 10)
        return try #require(f.record(.hour, startingAt: 1))
    }

    @Test func steadyHourMatchesHandComputedTotals() throws {
        let r = try Self.steadyHour()
        let expected: [(String, Double)] = [
            ("electricity_import_kwh", 1000), ("electricity_export_kwh", 100), ("electricity_net_kwh", 900),
            ("power_kw", 1000), ("reactive_import_kvarh", 426), ("power_factor_avg", 1000 / (1000 * 1000 + 426 * 426).squareRoot()),
            ("gas_volume_nm3", 500), ("gas_energy_gj", 17.9), ("scope1_combustion_tco2e", 17.9 * 56.1 / 1000),
            ("energy_total_gj", 17.9 + 3.6), ("scope2_lb_tco2e", 0.4), ("scope2_mb_tco2e", 0.3),
            ("product_t", 2.5), ("product_lce_t", 2.201), ("sec_electric_kwh_per_t", 400), ("sec_total_gj_per_t", 21.5 / 2.5),
            ("ghg_intensity_kgco2e_per_t", 1000 * (17.9 * 0.0561 + 0.4) / 2.5),
            ("ghg_intensity_mb_kgco2e_per_t", 1000 * (17.9 * 0.0561 + 0.3) / 2.5),
            ("water_withdrawal_m3", 28), ("water_withdrawal_m3.groundwater.fresh", 28),
            ("water_discharge_m3", 22), ("water_discharge_m3.surface.other", 22), ("water_consumption_m3", 6),
            ("water_recycled_m3", 40), ("water_reuse_efficiency", 40.0 / 68), ("water_intensity_m3_per_t", 11.2),
        ]
        for (id, value) in expected {
            let m = try #require(r.metric(id), "\(id) missing")
            #expect(close(m.value, value, rel: 1e-6), "\(id): \(String(describing: m.value)) ≠ \(value)")
            #expect(m.quality == .good, "\(id) quality \(m.quality)")
            #expect(m.coverage >= 0.999 && m.estimatedShare == 0, "\(id) cov \(m.coverage) est \(m.estimatedShare)")
        }
        #expect(r.span.hours == 1 && r.period == .hour && r.line == "lioh-1")
        #expect(r.factors.contains { $0.id == "grid-test-2024" } && r.factors.contains { $0.id == "ipcc-ng" })
        let trace = try #require(r.counters.first { $0.tagPath == "pm-main/energy_import" })
        #expect(close(trace.rawEnd.map { $0 - (trace.rawStart ?? 0) }, 1000, rel: 1e-3))
    }

    @Test func withoutMarketFactorsNoMarketBasedMetrics() throws {
        let r = try Self.steadyHour(market: nil)
        #expect(r.metric("scope2_mb_tco2e") == nil && r.metric("ghg_intensity_mb_kgco2e_per_t") == nil)
        #expect(r.metric("scope2_lb_tco2e") != nil)
    }

    @Test func zeroProductionSuppressesIntensities() throws {
        let r = try Self.steadyHour(productPerHour: 0)
        for id in ["sec_electric_kwh_per_t", "sec_total_gj_per_t", "ghg_intensity_kgco2e_per_t", "water_intensity_m3_per_t"] {
            let m = try #require(r.metric(id))
            #expect(m.value == nil && m.quality == .bad, "\(id)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any]
        let metrics = try #require(json?["metrics"] as? [String: Any])
        let sec = try #require(metrics["sec_electric_kwh_per_t"] as? [String: Any])
        #expect(sec["v"] is NSNull && sec["q"] as? String == "bad")
    }

    @Test func jsonCarriesTheClosedPeriodPayload() throws {
        let r = try Self.steadyHour()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any])
        #expect(json["line"] as? String == "lioh-1" && json["period"] as? String == "hour")
        #expect(json["start"] as? String == "2024-05-01T10:00:00.000Z" && json["end"] as? String == "2024-05-01T11:00:00.000Z")
        #expect(json["seq"] as? Int == 2)
        let import_ = try #require((json["metrics"] as? [String: Any])?["electricity_import_kwh"] as? [String: Any])
        #expect(import_["u"] as? String == "kWh" && import_["q"] as? String == "good" && (import_["v"] as? Double).map { abs($0 - 1000) < 1e-3 } == true)
        #expect((json["counters"] as? [String: Any])?["pm-main/energy_import"] != nil)
        #expect((json["factors"] as? [String: Any])?["grid"] != nil && json["gwp"] as? String == "AR6")
    }
}
