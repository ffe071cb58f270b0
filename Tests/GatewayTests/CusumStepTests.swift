import Foundation
import Testing
import TestSupport

/// ISO 50006 in the field: the simulated tankhouse's cell voltage drops 5 % at a local midnight (an
/// energy-efficiency step), and line ew-1's daily judgement against its baseline (1,000 + 1,800 kWh DC per t
/// of cathode) sees it. Four local days at plant clock 1440× (a day a minute), the real daemon reading the
/// simulator over Modbus and publishing through mosquitto.
@Suite("CUSUM follows a tankhouse efficiency step (plant clock 1440×)", .serialized, .timeLimit(.minutes(8)))
struct CusumStepTests {
    static let days = ["2026-04-14", "2026-04-15", "2026-04-16", "2026-04-17"]
    /// The step: 2026-04-16 00:00 in Asia/Almaty, the start of the third day.
    static let step = "2026-04-16T00:00:00+05:00=0.95"

    @Test func savingsJumpByTheStepAndTheCusumClimbsFromTheDayOfTheStep() async throws {
        let bench = try await GroundTruthBench(day: DateComponents(year: 2026, month: 4, day: 14), leadSeconds: 4, seed: 21,
                                               pollInterval: "100ms", speed: 1440, simulatorArguments: ["--tankhouse-step", Self.step],
                                               scenario: "hydromet-copper", config: EWGroundTruthTests.config)
        do {
            try bench.startDaemon()
            let prefix = "plantgate/\(GroundTruthBench.site)/"
            let realLeft = bench.dayEnd.addingTimeInterval(3 * 86_400).timeIntervalSince(bench.plantNow) / bench.speed
            let arrived = await eventually(timeout: .seconds(Int(realLeft) + 60), pollInterval: .milliseconds(500)) {
                let ledger = PeriodLedger(bench.recorder, prefix: prefix)
                return Self.days.allSatisfy { ledger.first("ew-1", "day", label: $0) != nil }
            }
            try #require(arrived, "not every day record arrived; log: \(bench.logs.suffix(4000))")
            let ledger = PeriodLedger(bench.recorder, prefix: prefix)
            var judged: [(label: String, energy: Double, savings: Double, cusum: Double, expected: Double)] = []
            for label in Self.days {
                let record = try #require(ledger.first("ew-1", "day", label: label))
                let parsed = try JSONSerialization.jsonObject(with: Data(record.text.utf8))
                let object = try #require(parsed as? [String: Any])
                let baseline = try #require(object["baseline"] as? [String: Any], "no baseline in \(record.text)")
                #expect(baseline["q"] as? String == "good" && baseline["extrapolated"] as? Bool == false, "\(baseline)")
                judged.append((label, try record.value("ew_dc_energy_kwh"), try #require(baseline["savings"] as? Double),
                               try #require(baseline["cusum"] as? Double), try #require(baseline["expected"] as? Double)))
            }
            for day in judged {
                print("[cusum] \(day.label): DC \(day.energy) kWh, expected \(day.expected), savings \(day.savings), CUSUM \(day.cusum)")
            }
            // The CUSUM is the running sum of the savings.
            for (previous, day) in zip(judged, judged.dropFirst()) {
                #expect(abs(day.cusum - (previous.cusum + day.savings)) <= 1e-6 * day.expected, "\(day.label)")
            }
            // Before the step the savings hold still; from the day of the step they rise by 5 % of the energy
            // the tankhouse would have used (actual ÷ 0.95).
            let before = (judged[0].savings + judged[1].savings) / 2
            #expect(abs(judged[1].savings - judged[0].savings) <= 0.005 * judged[1].energy, "savings moved before the step")
            for day in judged[2...] {
                let jump = (day.savings - before) / (day.energy / 0.95)
                print("[cusum] \(day.label): savings up by \(jump * 100) % of the energy without the step")
                #expect(abs(jump - 0.05) <= 0.005, "\(day.label): savings up by \(jump * 100) %")
            }
            let slopeBefore = judged[1].cusum - judged[0].cusum, slopeAfter = judged[3].cusum - judged[2].cusum
            #expect(slopeAfter - slopeBefore > 0.04 * judged[3].energy, "CUSUM slope \(slopeBefore) → \(slopeAfter) kWh a day")
        } catch {
            await bench.shutDown()
            throw error
        }
        await bench.shutDown()
    }
}
