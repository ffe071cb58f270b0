import ESG
import Foundation
import Testing

/// Energy baselines on a synthetic plant whose true model is known:
/// daily kWh = 12,000 + 850·t(product) + 40·°C(ambient) + noise (σ = 1,500 kWh).
@Suite struct BaselineTests {
    static let truth = (b0: 12_000.0, perTonne: 850.0, perDegree: 40.0, sigma: 1_500.0)

    /// Deterministic normal noise (64-bit LCG, Box–Muller).
    struct Noise {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) + 0.5) / 9_007_199_254_740_992
        }
        mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
    }

    /// `days` of the plant from day `from`; after `stepDay` it uses `efficiency` × the energy (0.95: 5 % better).
    static func plant(days: Int, from: Int = 0, seed: UInt64 = 42, stepDay: Int = .max, efficiency: Double = 1) -> [BaselineFit.Observation] {
        var noise = Noise(state: seed)
        return (from..<(from + days)).map { day in
            let tonnes = 60 + 20 * sin(Double(day) * 0.37) + 5 * noise.normal()
            let ambient = 15 + 10 * sin(2 * .pi * Double(day) / 365)
            var energy = truth.b0 + truth.perTonne * tonnes + truth.perDegree * ambient + truth.sigma * noise.normal()
            if day >= stepDay { energy *= efficiency }
            return BaselineFit.Observation(energy: energy, variables: [tonnes, ambient])
        }
    }

    @Test func recoversTheTrueCoefficientsWithinTheirStandardErrors() throws {
        let model = try BaselineFit.fit(Self.plant(days: 365), variables: ["product_t", "ambient_c"])
        let s = model.statistics
        #expect(s.n == 365 && s.parameters == 3)
        // A fit is off by more than 2 standard errors about 5 % of the time; this seed is not one of those.
        #expect(abs(model.intercept - Self.truth.b0) <= 2 * model.interceptStandardError, "β0 \(model.intercept) ± \(model.interceptStandardError)")
        #expect(abs(model.variables[0].coefficient - Self.truth.perTonne) <= 2 * model.variables[0].standardError,
                "β_t \(model.variables[0].coefficient) ± \(model.variables[0].standardError)")
        #expect(abs(model.variables[1].coefficient - Self.truth.perDegree) <= 2 * model.variables[1].standardError,
                "β_°C \(model.variables[1].coefficient) ± \(model.variables[1].standardError)")
        // The standard errors are themselves right-sized: a per-tonne error of a few kWh, not zero, not hundreds.
        #expect((1...30).contains(model.variables[0].standardError))
        // Residual error ≈ σ; CV(RMSE) ≈ σ / mean energy; NMBE ≈ 0 for OLS with an intercept.
        #expect(abs(s.rmse - Self.truth.sigma) < Self.truth.sigma * 0.15)
        #expect(abs(s.cvRMSE - s.rmse / s.meanEnergy) < 1e-12)
        #expect(abs(s.nmbe) < 1e-9)
        #expect(s.adjustedRSquared < s.rSquared && s.adjustedRSquared > 0.8)
        #expect(model.variables[0].minimum < 45 && model.variables[0].maximum > 75)
        #expect(BaselineThresholds.hourly.violations(of: s).isEmpty)
        #expect(BaselineThresholds.monthly.violations(of: s).isEmpty, "CV(RMSE) \(s.cvRMSE)")
    }

    @Test func cusumStaysFlatThenFollowsAnEfficiencyStep() throws {
        let model = try BaselineFit.fit(Self.plant(days: 365), variables: ["product_t", "ambient_c"])
        // Reporting period: 120 days; from day 60 the plant uses 5 % less energy.
        let reporting = Self.plant(days: 120, from: 365, seed: 7, stepDay: 365 + 60, efficiency: 0.95)
        var tracker = PerformanceTracker(model: model)
        let periods = reporting.map { tracker.close(actual: $0.energy, variables: $0.variables) }
        let mean = model.statistics.meanEnergy
        // Before the step the savings are noise: the CUSUM wanders within a few σ·√n.
        let flat = periods[59].cusum
        #expect(abs(flat) < 4 * Self.truth.sigma * 60.0.squareRoot(), "CUSUM before the step: \(flat)")
        // After it, it climbs by about 5 % of the daily energy per day.
        let slope = (periods[119].cusum - periods[59].cusum) / 60
        #expect(abs(slope - 0.05 * mean) < 0.3 * 0.05 * mean, "CUSUM slope \(slope) kWh/day vs \(0.05 * mean)")
        let enpiAfter = periods[60...].compactMap(\.enpi).reduce(0, +) / 60
        #expect(abs(enpiAfter - 0.95) < 0.01, "EnPI after the step \(enpiAfter)")
        #expect(periods.allSatisfy { abs($0.savings - ($0.expected - $0.actual)) < 1e-9 })
        // Days whose product or ambient fall outside the reference year's range are the flagged ones.
        for (period, day) in zip(periods, reporting) {
            let outside = zip(model.variables, day.variables).contains { $1 < $0.minimum || $1 > $0.maximum }
            #expect(period.extrapolated == outside)
        }
    }

    @Test func aPeriodOutsideTheBaselineRangeIsFlaggedExtrapolated() throws {
        let model = try BaselineFit.fit(Self.plant(days: 365), variables: ["product_t", "ambient_c"])
        var tracker = PerformanceTracker(model: model, cusum: 1_000)
        let high = tracker.close(actual: 130_000, variables: [model.variables[0].maximum + 30, 15])
        #expect(high.extrapolated)
        #expect(high.cusum == 1_000 + high.savings)
        #expect(!tracker.close(actual: 70_000, variables: [60, 15]).extrapolated)
    }

    @Test func aNoisyModelBreaksTheGuideline14Limits() throws {
        var noisy = Self.plant(days: 90)
        var noise = Noise(state: 9)
        for index in noisy.indices { noisy[index].energy += 40_000 * noise.normal() }
        let model = try BaselineFit.fit(noisy, variables: ["product_t", "ambient_c"])
        let violations = BaselineThresholds.monthly.violations(of: model.statistics)
        #expect(violations.contains { $0.hasPrefix("CV(RMSE)") })
    }

    @Test func unidentifiableOrShortPeriodsAreClearErrors() {
        #expect(throws: BaselineFit.FitError.tooFewObservations(have: 3, need: 4)) {
            try BaselineFit.fit(Array(Self.plant(days: 3)), variables: ["product_t", "ambient_c"])
        }
        let constant = (0..<30).map { BaselineFit.Observation(energy: 1_000 + Double($0), variables: [5]) }
        #expect(throws: BaselineFit.FitError.collinear) { try BaselineFit.fit(constant, variables: ["product_t"]) }
        let broken = [BaselineFit.Observation(energy: .nan, variables: [1])] + (0..<5).map { BaselineFit.Observation(energy: 1, variables: [Double($0)]) }
        #expect(throws: BaselineFit.FitError.malformed(index: 0)) { try BaselineFit.fit(broken, variables: ["product_t"]) }
    }

    @Test func theModelRoundTripsThroughJSONWithItsStatistics() throws {
        let model = try BaselineFit.fit(Self.plant(days: 60), variables: ["product_t", "ambient_c"])
        let data = try JSONEncoder().encode(model)
        let text = String(decoding: data, as: UTF8.self)
        for key in ["\"r2_adj\"", "\"cv_rmse\"", "\"nmbe\"", "\"std_error\"", "\"min\"", "\"max\"", "\"n\""] { #expect(text.contains(key)) }
        #expect(try JSONDecoder().decode(BaselineModel.self, from: data) == model)
    }
}
