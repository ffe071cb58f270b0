import Foundation
import Simulator
import Testing

@Suite("Plant physics: counters, balances, consistency")
struct PhysicsTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    /// Trapezoid rule on a 0.1 s grid: an integration the simulator does not use.
    static func trapezoid(_ meter: SimulatedMeter, from a: Double, to b: Double) -> [Double] {
        let n = Int(((b - a) / 0.1).rounded(.up))
        let step = (b - a) / Double(n)
        var sum = [Double](repeating: 0, count: meter.counters.count)
        var left = meter.rates(at: a)
        for i in 1...n {
            let right = meter.rates(at: a + Double(i) * step)
            for c in sum.indices { sum[c] += (left[c] + right[c]) / 2 * step / 3600 }
            left = right
        }
        return sum
    }

    @Test(arguments: PlantScenario.names)
    func countersAreTheIntegralOfTheirRates(scenario: String) throws {
        var plant = try #require(PlantScenario.named(scenario, start: Self.start, seed: 3))
        let end = 2 * 3600.0 + 37.25
        plant.advance(to: end)
        for meter in plant.meters {
            let expected = Self.trapezoid(meter, from: 0, to: end)
            let truth = meter.truth(at: end)
            for c in expected.indices where expected[c] > 0 {
                #expect(abs(truth[c] - expected[c]) / expected[c] < 1e-6, "\(meter.id) \(meter.counters[c].truthKey): \(truth[c]) vs \(expected[c])")
            }
        }
    }

    @Test func magnitudesMatchTheLithiumHydroxideLine() throws {
        var plant = try #require(PlantScenario.named("lithium-hydroxide", start: Self.start, seed: 1))
        let day = 86_400.0
        plant.advance(to: day)
        func perHour(_ id: String, _ channel: Int = 0) throws -> Double { try #require(plant.meter(id)).truth(at: day)[channel] / 24 }
        #expect(abs(try perHour("pm-main") / 1000 - 8_800) < 8_800 * 0.05)   // kWh per hour ≈ kW
        #expect(abs(try perHour("pm-aux") / 1000 - 250) < 250 * 0.05)
        #expect(abs(try perHour("gas-calciner") - 5_000) < 5_000 * 0.05)
        #expect(abs(try perHour("fm-intake") - 28) < 28 * 0.05)
        #expect(abs(try perHour("scale-product") - 2.5) < 2.5 * 0.05)
        // ≈ 3.5 MWh/t electricity (metrics.md §3.1).
        let kwhPerTonne = try perHour("pm-main") / 1000 / perHour("scale-product")
        #expect((3_200...3_900).contains(kwhPerTonne))
    }

    @Test func waterBalancesAndDischargeNeverExceedsIntake() throws {
        let plant = try #require(PlantScenario.named("lithium-hydroxide", start: Self.start, seed: 5))
        let intake = try #require(plant.meter("fm-intake")), discharge = try #require(plant.meter("fm-discharge"))
        for t in stride(from: 0.0, to: 86_400, by: 97) {
            #expect(discharge.rates(at: t)[0] <= intake.rates(at: t)[0])
        }
        let balance = plant.waterBalance(at: 3_600)
        let use = try #require(balance["process_use_m3"]), inflow = try #require(balance["intake_m3"]), recycle = try #require(balance["recycle_m3"])
        #expect(abs(use - (inflow + recycle)) < 1e-9)
        #expect(try #require(balance["discharge_m3"]) <= inflow)
    }

    @Test func powerIsConsistentWithinTheMeter() throws {
        let plant = try #require(PlantScenario.named("hydromet-copper", start: Self.start, seed: 9))
        let meter = try #require(plant.meter("pm-rectifier"))
        for t in [0.0, 1_234.5, 40_000] {
            let v = meter.tagValues(at: t)
            let phases = ["a", "b", "c"].map { v["power_\($0)"] ?? .nan }
            #expect(abs(phases.reduce(0, +) - (v["power_total"] ?? 0)) < 1e-6)
            let pf = v["power_factor"] ?? .nan
            for (k, phase) in ["a", "b", "c"].enumerated() {
                let perPhase = (v["voltage_\(phase)n"] ?? 0) * (v["current_\(phase)"] ?? 0) * pf / 1000
                #expect(abs(perPhase - phases[k]) < 1e-6)
            }
            let p = v["power_total"] ?? 0, q = v["reactive_power_total"] ?? 0
            #expect(abs((v["apparent_power_total"] ?? 0) - (p * p + q * q).squareRoot()) < 1e-6)
            #expect(abs(q - p * tan(acos(pf))) < 1e-6)
            #expect(abs(p - 6_000) < 600)
        }
    }

    @Test func theSameSeedGivesTheSamePlantAndAnotherSeedDoesNot() throws {
        let a = try #require(PlantScenario.named("lithium-hydroxide", start: Self.start, seed: 11)?.meter("pm-main"))
        let b = try #require(PlantScenario.named("lithium-hydroxide", start: Self.start, seed: 11)?.meter("pm-main"))
        let c = try #require(PlantScenario.named("lithium-hydroxide", start: Self.start, seed: 12)?.meter("pm-main"))
        #expect(a.rates(at: 5_000) == b.rates(at: 5_000))
        #expect(a.rates(at: 5_000) != c.rates(at: 5_000))
    }

    @Test func ehTotaliserWrapsSumIntoOverflow() throws {
        var plant = try #require(PlantScenario.named("lithium-hydroxide", start: Self.start, seed: 1))
        plant.update("fm-intake") { _ = $0.setInitial(tag: "volume_total", value: 9_999_990) }
        let meter = try #require(plant.meter("fm-intake"))
        let before = meter.tagValues(at: 0), after = meter.tagValues(at: 3_600)
        #expect(before["totalizer_overflow"] == 0)
        #expect(abs((before["totalizer_sum"] ?? 0) - 9_999_990) < 1e-6)
        #expect(after["totalizer_overflow"] == 10_000_000)
        let shown = (after["totalizer_sum"] ?? 0) + (after["totalizer_overflow"] ?? 0)
        #expect(abs(shown - (9_999_990 + meter.truth(at: 3_600)[0])) < 1e-6)
        #expect((after["totalizer_sum"] ?? 0) < 100)
    }

    @Test func uint32CounterRollsOverAtTwoToThe32Raw() throws {
        var plant = try #require(PlantScenario.named("lithium-hydroxide", start: Self.start, seed: 1))
        plant.update("gas-calciner") { _ = $0.setInitial(tag: "volume_corrected", value: 42_949_600) }
        let meter = try #require(plant.meter("gas-calciner"))
        let layout = meter.layout
        func raw(at t: Double) -> UInt32 {
            let words = layout.words(2..<4, values: meter.tagValues(at: t))
            return UInt32(words[0]) << 16 | UInt32(words[1])
        }
        #expect(raw(at: 0) == 4_294_960_000)
        let later = raw(at: 600)   // ≈ 830 Nm3 later: past the wrap
        let expected = (4_294_960_000 + UInt64((meter.truth(at: 600)[0] * 100).rounded(.down))) % (1 << 32)
        #expect(UInt64(later) == expected || UInt64(later) + 1 == expected)
        #expect(later < 1_000_000)
    }
}
