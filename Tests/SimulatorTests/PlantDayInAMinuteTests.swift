import Foundation
import TestSupport
import Testing

/// Both example plants at 1440× (a plant day a minute) with ground truth, each polled by plantgated for
/// a minute on the same plant clock: the simulator never makes the gateway time out, the truth file has
/// every line, and the gateway's counter readings agree with the truth at the plant times they carry.
@Suite("A plant day in a minute: example plants at 1440× with truth, polled by plantgated", .serialized, .timeLimit(.minutes(4)))
struct PlantDayInAMinuteTests {
    static let speed = 1440.0
    static var built: Bool {
        CommandLineTests.built && FileManager.default.isExecutableFile(atPath: BuiltExecutable.path("plantgated"))
    }

    @Test(.enabled(if: built)) func bothExamplePlantsAtFullSpeedNeverStallTheMeters() async throws {
        let broker = try await MosquittoBroker.start()
        let lithium = try await ExamplePlantRun(
            scenario: "lithium-hydroxide", site: "kz-lioh",
            devices: ["pm-main", "pm-aux", "fm-intake", "fm-recycle", "fm-discharge", "gas-calciner", "scale-product"],
            energy: ("pm-main", "energy_import"), speed: Self.speed, brokerPort: broker.port)
        let copper = try await ExamplePlantRun(
            scenario: "hydromet-copper", site: "cl-cu-ew",
            devices: ["pm-rectifier", "pm-pumps", "fm-raw", "fm-raffinate", "fm-discharge", "scale-cathode"],
            energy: ("pm-rectifier", "energy_import"), speed: Self.speed, brokerPort: broker.port)
        defer {
            lithium.removeFiles()
            copper.removeFiles()
        }
        // A whole plant day, and each device's once-a-minute health report after it.
        let day = lithium.anchor.addingTimeInterval(86_400 / Self.speed)
        let reported = await eventually(timeout: .seconds(100), pollInterval: .milliseconds(250)) {
            Date() > day && [lithium, copper].allSatisfy { run in run.healthByDevice.values.allSatisfy { $0.count >= 2 } }
        }
        for run in [lithium, copper] {
            let healths = run.healthByDevice
            let stats = run.stats.objects(on: "plantgate/\(run.site)/gateway/stats")
            let readings = run.energyReadings
            let periods = run.periodReasons
            let (daemonLog, simulatorLog, simulatorExit, stopSeconds) = await run.stop()
            let context = "\(run.scenario): daemon log:\n\(daemonLog.suffix(3000))\nsimulator log:\n\(simulatorLog.suffix(2000))"
            #expect(reported, "\(run.scenario): health reports per device: \(healths.mapValues(\.count))")

            // The gateway never waited in vain: no timeout, no device down, all the time.
            #expect(!daemonLog.contains("no reply in time"), "\(context)")
            #expect(!daemonLog.contains("device down"), "\(context)")
            for (device, reports) in healths {
                let last = try #require(reports.last, "\(run.scenario): no health of \(device)")
                #expect(last["up"] as? Bool == true, "\(run.scenario) \(device): \(last)")
                #expect((last["errors"] as? [String: Any])?.isEmpty == true, "\(run.scenario) \(device): \(last)")
                #expect(((last["requests"] as? NSNumber)?.intValue ?? 0) >= 40, "\(run.scenario) \(device): \(last)")
            }
            // No closed period blames the meters: TIMEOUT among its reasons was the simulator's doing.
            let hours = periods.filter { $0.period == "hour" }
            #expect(hours.count >= 20, "\(run.scenario): \(hours.count) hour records")
            let blamed = periods.filter { $0.reasons.contains("TIMEOUT") }
            #expect(blamed.isEmpty, "\(run.scenario): \(blamed.count) of \(periods.count) period records with TIMEOUT: \(blamed.prefix(3))")
            let down = stats.dropFirst().filter { ($0["devices_up"] as? NSNumber)?.intValue != ($0["devices"] as? NSNumber)?.intValue }
            #expect(stats.count >= 5 && down.isEmpty, "\(run.scenario) stats with a device down: \(down)")

            // The truth file: one line per interval (2 min at 1440× by default) from t = 0, past the whole day.
            let truth = try TruthLines(path: run.truthPath, meter: run.energy.device, tag: run.energy.tag)
            #expect(truth.firstGap(interval: 120) == nil, "\(run.scenario): \(truth.firstGap(interval: 120) ?? "")")
            #expect((truth.times.last ?? 0) >= 86_400, "\(run.scenario): truth ends at t = \(truth.times.last ?? 0)")
            #expect(truth.anchor.map { abs($0.timeIntervalSince(run.anchor)) < 0.001 } == true, "\(run.scenario): truth anchor \(String(describing: truth.anchor))")

            // The gateway's readings against the truth at the plant time each carries: the median lag is
            // the two clocks' misalignment plus the request's flight (a real millisecond is 1.44 plant s);
            // a clock anchored apart would be off by whole real seconds (thousands of plant seconds).
            var lags: [Double] = []
            for reading in readings where reading.t > 0 {
                guard let (shown, perSecond) = truth.shown(at: reading.t), perSecond > 0 else { continue }
                lags.append((shown - reading.value) / perSecond)
            }
            lags.sort()
            let median = lags.isEmpty ? .nan : lags[lags.count / 2]
            print("[1440×] \(run.scenario): \(readings.count) \(run.energy.device)/\(run.energy.tag) readings, median lag \(median) plant s "
                  + "(p5 \(lags.isEmpty ? .nan : lags[lags.count / 20]), p95 \(lags.isEmpty ? .nan : lags[lags.count * 19 / 20])); "
                  + "simulator stopped in \(stopSeconds) s; \(simulatorLog.split(separator: "\n").filter { $0.contains("stopped") || $0.contains("behind") })")
            #expect(lags.count >= 20, "\(run.scenario): \(readings.count) readings, \(lags.count) inside the truth")
            #expect(abs(median) <= 30, "\(run.scenario): median lag \(median) plant s")
            // Over the day the counter advanced exactly as the truth says (edges shifted by the lag only).
            if let first = readings.first(where: { $0.t > 0 }), let last = readings.last,
               let a = truth.shown(at: first.t), let b = truth.shown(at: last.t) {
                let advance = last.value - first.value, expected = b.value - a.value
                #expect(abs(advance - expected) <= 1e-3 * expected, "\(run.scenario): counter advanced \(advance), truth \(expected)")
            }
            #expect(simulatorExit == 0 && stopSeconds < 2, "\(run.scenario): simulator exit \(String(describing: simulatorExit)) after \(stopSeconds) s")
        }
        await broker.stop()
    }
}
