import Foundation
import PlantModel
import Simulator
import Testing
import TestSupport

/// Electrowinning current efficiency and DC kWh per tonne against the hydromet-copper tankhouse's ground
/// truth: a whole local day in three minutes (plant clock 480× on simulator and daemon), the real daemon
/// reading the simulated rectifier and cathode scale over Modbus and publishing through mosquitto.
@Suite("Electrowinning against the simulator's tankhouse (accelerated plant clock)", .serialized, .timeLimit(.minutes(6)))
struct EWGroundTruthTests {
    /// The charge is integrated DC current (trapezoids between polls 48 plant seconds apart), as is the
    /// V × I energy: the same bound as integrated active power against a true counter.
    static let integratedTolerance = 1e-2
    /// The DC energy and cathode counters are the meters' own: only the day's edges are interpolated, and the
    /// cathode register counts whole kilograms.
    static let counterTolerance = 1e-3

    @Test func closedDayCurrentEfficiencyAndKWhPerTonneMatchTheTankhouse() async throws {
        let bench = try await GroundTruthBench(day: DateComponents(year: 2026, month: 4, day: 14), leadSeconds: 8, seed: 21,
                                               pollInterval: "100ms", scenario: "hydromet-copper", config: Self.config)
        do {
            try bench.startDaemon()
            let prefix = "plantgate/\(GroundTruthBench.site)/"
            let realLeft = bench.dayEnd.timeIntervalSince(bench.plantNow) / bench.speed
            let arrived = await eventually(timeout: .seconds(Int(realLeft) + 40), pollInterval: .milliseconds(250)) {
                let ledger = PeriodLedger(bench.recorder, prefix: prefix)
                return ledger.first("ew-1", "day", label: bench.dayLabel) != nil && ledger.first("ew-1-vi", "day", label: bench.dayLabel) != nil
            }
            try #require(arrived, "no EW day record for \(bench.dayLabel); log: \(bench.logs.suffix(4000))")
            let ledger = PeriodLedger(bench.recorder, prefix: prefix)
            let truth = try await bench.truth(through: bench.dayEnd.addingTimeInterval(60))
            let counted = try #require(ledger.first("ew-1", "day", label: bench.dayLabel))
            let integrated = try #require(ledger.first("ew-1-vi", "day", label: bench.dayLabel))
            print("[ew] day record: \(counted.text)")
            let (a, b) = (counted.start, counted.end)
            #expect(a == bench.dayStart.timeIntervalSince1970 && b == bench.dayEnd.timeIntervalSince1970)

            let tankhouse = PlantScenario.copperTankhouse
            let ampereHours = try truth.advance("rect-ew/charge_ah", from: a, to: b)
            let dcKWh = try truth.advance("rect-ew/dc_kwh", from: a, to: b)
            let cathode = try truth.advance("scale-cathode/product_t", from: a, to: b)
            let trueCE = cathode / (ampereHours * tankhouse.spec.tonnesPerAmpereHour)
            let truePerTonne = dcKWh / cathode
            print("[ew] truth \(bench.dayLabel): \(ampereHours / 1000) kAh, \(dcKWh) kWh DC, \(cathode) t, CE \(trueCE), \(truePerTonne) kWh/t")
            for record in [counted, integrated] {
                let ce = try record.value("ew_current_efficiency"), perTonne = try record.value("ew_dc_kwh_per_t")
                print("[ew] \(record.line) day: CE \(ce) (error \(ce / trueCE - 1)), \(perTonne) kWh/t (error \(perTonne / truePerTonne - 1)), "
                      + "\(try record.value("ew_cell_voltage_v")) V per cell")
                #expect(abs(try record.value("ew_charge_kah") * 1000 / ampereHours - 1) <= Self.integratedTolerance)
                #expect(abs(try record.value("ew_cathode_t") / cathode - 1) <= Self.counterTolerance)
                #expect(abs(ce / trueCE - 1) <= Self.integratedTolerance, "\(record.line) CE \(ce), truth \(trueCE)")
                #expect(abs(perTonne / truePerTonne - 1) <= Self.integratedTolerance, "\(record.line) kWh/t \(perTonne), truth \(truePerTonne)")
                #expect(abs(try record.value("ew_cell_voltage_v") - tankhouse.cellVoltage) < 0.05)
                // 92 % at 2.0 V is a healthy tankhouse: nothing is flagged.
                #expect(record.figures["ew_current_efficiency"]?.quality == "good" && record.figures["ew_dc_kwh_per_t"]?.quality == "good",
                        "\(record.text)")
            }
            #expect(abs(try counted.value("ew_dc_energy_kwh") / dcKWh - 1) <= Self.counterTolerance)
            try Self.checkBaseline(counted, after: ledger.records.first { $0.line == "ew-1" && $0.period == "day" && $0.end == a })
            #expect(!integrated.text.contains("\"baseline\""))
            #expect(abs(try integrated.value("ew_dc_energy_kwh") / dcKWh - 1) <= Self.integratedTolerance)
            try Self.checkHarvests(ledger, truth: truth)
        } catch {
            await bench.shutDown()
            throw error
        }
        await bench.shutDown()
    }

    /// The tankhouse's PLC counts a harvest every 6 h (00:00, 06:00, 12:00, 18:00 UTC): line ew-1 publishes one
    /// record per cycle it saw start and end, each on the readings that saw the count step, with the
    /// cycle's current efficiency against the truth over the record's own span.
    static func checkHarvests(_ ledger: PeriodLedger, truth: TruthTrack) throws {
        let cycles = ledger.records.filter { $0.line == "ew-1" && $0.period == "harvest" }
        #expect(cycles.count >= 3, "a day holds three whole 6 h cycles: \(cycles.map(\.label))")
        #expect(cycles.map(\.seq) == Array(1...max(1, cycles.count)), "\(cycles.map(\.seq))")
        #expect(!ledger.records.contains { $0.line == "ew-1-vi" && $0.period == "harvest" }, "ew-1-vi counts no harvests")
        let tonnesPerAmpereHour = PlantScenario.copperTankhouse.spec.tonnesPerAmpereHour
        for cycle in cycles {
            // Each edge is the first poll (48 plant s apart) after a harvest, as the daemon stamps it: its plant
            // clock and the simulator's agree to a few real ms, a plant second or two at 480× (CI saw −0.98 s).
            for edge in [cycle.start, cycle.end] {
                let sinceHarvest = edge - (edge / 21_600).rounded() * 21_600
                #expect(sinceHarvest >= -5 && sinceHarvest <= 60, "\(cycle.label) edge \(edge) is \(sinceHarvest) s after a harvest")
            }
            #expect(abs(cycle.end - cycle.start - 21_600) <= 60, "\(cycle.label): \(cycle.end - cycle.start) s")
            let ampereHours = try truth.advance("rect-ew/charge_ah", from: cycle.start, to: cycle.end)
            let cathode = try truth.advance("scale-cathode/product_t", from: cycle.start, to: cycle.end)
            let trueCE = cathode / (ampereHours * tonnesPerAmpereHour)
            let ce = try cycle.value("ew_current_efficiency")
            print("[ew] \(cycle.label): CE \(ce), truth \(trueCE) (error \(ce / trueCE - 1)), \(try cycle.value("ew_charge_kah")) kAh")
            #expect(abs(ce / trueCE - 1) <= Self.integratedTolerance, "\(cycle.label) CE \(ce), truth \(trueCE)")
            #expect(abs(try cycle.value("ew_charge_kah") * 1000 / ampereHours - 1) <= Self.integratedTolerance)
            #expect(cycle.figures["ew_current_efficiency"]?.quality == "good", "\(cycle.text)")
        }
    }

    /// Line ew-1's day is judged against its baseline `1,000 + 1,800 kWh DC per t cathode`: the published
    /// expected energy, savings and CUSUM follow from the record's own figures (a partial day before it,
    /// if judged at all, started the CUSUM).
    static func checkBaseline(_ day: PublishedPeriod, after previous: PublishedPeriod?) throws {
        func judgement(_ record: PublishedPeriod) -> [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(record.text.utf8)) as? [String: Any])?["baseline"] as? [String: Any]
        }
        let baseline = try #require(judgement(day), "no baseline in \(day.text)")
        let expected = 1_000 + 1_800 * (try day.value("ew_cathode_t"))
        let savings = expected - (try day.value("ew_dc_energy_kwh"))
        let before = previous.flatMap(judgement)?["cusum"] as? Double ?? 0
        print("[ew] baseline judgement: \(baseline)")
        #expect(abs((baseline["expected"] as? Double ?? .nan) - expected) < 1e-6 * expected)
        #expect(abs((baseline["savings"] as? Double ?? .nan) - savings) < 1e-6 * expected)
        #expect(abs((baseline["cusum"] as? Double ?? .nan) - (before + savings)) < 1e-6 * expected)
        #expect(baseline["extrapolated"] as? Bool == false && baseline["q"] as? String == "good")
    }

    /// The hydromet-copper plant's rectifier and cathode scale, as one line with the DC energy counter and one
    /// with V × I integrated.
    static let config: GroundTruthBench.ConfigText = { brokerPort, simulatorPort, directory, interval, publish in
        """
        site: {id: \(GroundTruthBench.site), time_zone: Asia/Almaty, demand_interval: 15m}
        mqtt: {host: 127.0.0.1, port: \(brokerPort), client_id: plantgate-ew, keepalive: 5s, qos: 1, publish: \(publish)}
        buses:
          - {id: mcc, tcp: {host: 127.0.0.1, port: \(simulatorPort)}, response_timeout: 500ms, connect_timeout: 2s, retries: 1}
          - {id: field, tcp: {host: 127.0.0.1, port: \(simulatorPort + 1)}, response_timeout: 500ms}
        devices:
          - {id: rect-ew, bus: mcc, unit: 2, interval: \(interval), profile: ew-rectifier, only: [dc_current, dc_voltage, dc_energy]}
          - {id: scale-cathode, bus: field, unit: 7, interval: \(interval), profile: cathode-scale, only: [total, harvests]}
        lines:
          - id: ew-1
            product: {name: Cu cathode, min_t: 0.2}
            inputs: [{tag: scale-cathode/total, role: product}]
            electrowinning: {metal: cu, cells: 96, current: rect-ew/dc_current, energy: rect-ew/dc_energy, cathode: scale-cathode/total,
                             harvests: scale-cathode/harvests}
            baseline: {period: day, energy: ew_dc_energy_kwh, intercept: 1000, variables: [{name: ew_cathode_t, coefficient: 1800, min: 60, max: 80}]}
          - id: ew-1-vi
            product: {name: Cu cathode, min_t: 0.2}
            inputs: [{tag: scale-cathode/total, role: product}]
            electrowinning: {metal: cu, cells: 96, current: rect-ew/dc_current, voltage: rect-ew/dc_voltage, cathode: scale-cathode/total}
        factors:
          grid: {id: cl-sen-2024, kgco2e_per_kwh: 0.28, source: Ember 2024, vintage: 2024}
        state_dir: \(directory.path)/state
        control_socket: \(directory.path)/control.sock
        log_level: info
        """
    }
}
