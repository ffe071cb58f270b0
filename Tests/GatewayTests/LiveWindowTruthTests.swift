import Foundation
import Testing
import TestSupport

/// The rolling windows (`electricity_import_kwh/1m`, `/15m`) against the simulator's ground truth: each
/// published window is the true counter change over [t − W, t], whatever its coverage bookkeeping, on a
/// plant clock only 10× real so that a 1-minute window still spans 60 polls.
@Suite("Rolling windows against the simulator's ground truth (plant clock 10×)", .serialized, .timeLimit(.minutes(5)))
struct LiveWindowTruthTests {
    static let speed = 10.0
    /// The contract: a counter-based window within 0.1 % of the counter change over its span.
    static let tolerance = 1e-3

    @Test func everyHealthyWindowIsTheCounterChangeOverItsSpan() async throws {
        let bench = try await GroundTruthBench(
            day: DateComponents(year: 2026, month: 3, day: 10), leadSeconds: 30, seed: 21, pollInterval: "100ms", speed: Self.speed,
            truthInterval: "1s", publish: "{raw: every_poll, raw_qos: 0, retain_raw: false, live_interval: 1s}")
        let topics = "plantgate/\(GroundTruthBench.site)/lines/lioh-1/electricity_import_kwh/"
        let windows = try await TopicRecorder(port: bench.broker.port, filter: topics + "+")
        defer { windows.stop() }
        var finished = false
        do {
            try bench.startDaemon()
            // 15-minute windows fill after 90 s real; then half a minute of them.
            let started = bench.plantNow
            #expect(await bench.waitForPlant(started.addingTimeInterval(900 + 330)))
            let truth = try await bench.truth(through: bench.plantNow.addingTimeInterval(-5))
            let firstReading = try #require(bench.energy.objects(on: "plantgate/\(GroundTruthBench.site)/devices/pm-main/energy_import")
                .compactMap { ($0["t"] as? String).flatMap(PublishedPeriod.epoch) }.min(), "no raw energy reading")
            try check(windows, truth, topics: topics, after: firstReading)
            finished = true
        } catch {
            await bench.shutDown()
            throw error
        }
        if finished { await bench.shutDown() }
    }

    /// Windows that start after the daemon's first reading (`after`): earlier ones honestly miss data.
    private func check(_ windows: TopicRecorder, _ truth: TruthTrack, topics: String, after firstReading: Double) throws {
        for (suffix, length) in [("1m", 60.0), ("15m", 900.0)] {
            var worst = 0.0, worstAt = "", good = 0, all = 0
            for window in windows.objects(on: topics + suffix) {
                guard let end = (window["t"] as? String).flatMap(PublishedPeriod.epoch), let value = window["v"] as? Double,
                    let quality = window["q"] as? String,
                    let a = truth.value("pm-main/import_wh", at: end - length), let b = truth.value("pm-main/import_wh", at: end),
                    let c = truth.value("pm-aux/import_wh", at: end - length), let d = truth.value("pm-aux/import_wh", at: end)
                else { continue }
                guard end - length > firstReading + 1 else { continue }
                all += 1
                guard quality == "good" else { continue }
                good += 1
                let expected = ((b - a) + (d - c)) / 1000
                let error = (value - expected) / expected
                if abs(error) > abs(worst) { worst = error; worstAt = "\(window)" }
            }
            print("[live windows] \(suffix): \(good) good of \(all) windows against the truth; worst error \(String(format: "%+.4f", worst * 100)) % (\(worstAt))")
            #expect(good >= (suffix == "1m" ? 80 : 15), "\(suffix): only \(good) good windows of \(all)")
            #expect(Double(good) >= 0.9 * Double(all), "\(suffix): \(good) good of \(all): every device is healthy")
            #expect(abs(worst) <= Self.tolerance, "\(suffix): worst window \(worst * 100) % off the truth: \(worstAt)")
        }
    }
}
