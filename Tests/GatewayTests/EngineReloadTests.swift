import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// SIGHUP on the accelerated lithium-hydroxide plant (480×): a reload that moves the daemon to another
/// broker keeps the engine (windows, open periods, demand blocks, counts since start), one that changes
/// a line marks only that line's records CONFIG; and every period's last "so far" is its closed record.
@Suite("A reload keeps the metric engine; period-to-date ends at the record (plant clock 480×)", .serialized, .timeLimit(.minutes(5)))
struct EngineReloadTests {
    static let prefix = "plantgate/\(GroundTruthBench.site)/"

    @Test func reloadsKeepTheEngineAndToDateEndsAtTheClosedRecord() async throws {
        // pm-main is swapped at 06:20 (lead 8 s × 480 = 3840 plant s before midnight): silent 2 min, then from 0.
        let swap = 3840.0 + 6 * 3600 + 20 * 60
        let bench = try await GroundTruthBench(day: DateComponents(year: 2026, month: 3, day: 10), leadSeconds: 8, seed: 31, pollInterval: "100ms",
                                               publish: "{raw: every_poll, raw_qos: 0, retain_raw: false, live_interval: 1s, to_date_interval: 1s}",
                                               faults: ["pm-main:replacement@\(Int(swap))s+120s"])
        let second = try await MosquittoBroker.start()
        let before = try await TopicRecorder(port: bench.broker.port, filter: Self.prefix + "lines/#")
        let after = try await TopicRecorder(port: second.port, filter: Self.prefix + "lines/#")
        let statsAfter = try await TopicRecorder(port: second.port, filter: Self.prefix + "gateway/stats")
        let energyAfter = try await TopicRecorder(port: second.port, filter: Self.prefix + "devices/pm-main/energy_import")
        defer { before.stop(); after.stop(); statsAfter.stop(); energyAfter.stop() }
        let day = bench.dayStart.timeIntervalSince1970
        do {
            try bench.startDaemon()
            // Reload 1 at 02:00: only the broker changes.
            #expect(await bench.waitForPlant(bench.dayStart.addingTimeInterval(2 * 3600)))
            try bench.writeConfig(brokerPort: second.port)
            bench.daemon?.child.signal(SIGHUP)
            #expect(await eventually(timeout: .seconds(15)) { bench.logs.contains("lines_changed=none") }, "log: \(bench.logs)")
            // Reload 2 at 04:00: the power-only line's min_t changes.
            #expect(await bench.waitForPlant(bench.dayStart.addingTimeInterval(4 * 3600)))
            try bench.writeConfig(brokerPort: second.port) { text in
                guard let last = text.range(of: "min_t: 0.2", options: .backwards) else { return text }
                return text.replacingCharacters(in: last, with: "min_t: 0.3")
            }
            bench.daemon?.child.signal(SIGHUP)
            #expect(await eventually(timeout: .seconds(15)) { bench.logs.contains("lines_changed=lioh-1-power") }, "log: \(bench.logs)")
            let arrived = await eventually(timeout: .seconds(40), pollInterval: .milliseconds(200)) {
                PeriodLedger(after, prefix: Self.prefix).records.contains { $0.line == "lioh-1" && $0.period == "hour" && $0.start == day + 5 * 3600 }
            }
            try #require(arrived, "no record of 05:00; log: \(bench.logs.suffix(4000))")
            let truth = try await bench.truth(through: bench.dayStart.addingTimeInterval(6 * 3600 + 60))
            try checkRecords(bench, before, after, truth)
            checkLive(before, after, statsAfter, bench)
            checkToDate(after)
            // Until the new meter has been read for 15 plant minutes.
            #expect(await eventually(timeout: .seconds(30), pollInterval: .milliseconds(100)) {
                Self.newMeterReading(energyAfter).map { bench.plantNow.timeIntervalSince1970 > $0 + 900 } ?? false
            }, "log: \(bench.logs.suffix(3000))")
            try checkSwap(after, energyAfter)
            #expect(!bench.logs.contains("restored open periods"), "a reload must not go through the stored state")
        } catch {
            await bench.shutDown()
            await second.stop()
            throw error
        }
        await bench.shutDown()
        await second.stop()
    }

    /// Hours of the unchanged line: no RESTART, no CONFIG, good and true; the changed line says CONFIG only
    /// for the hour it changed in; nothing closed twice or early.
    private func checkRecords(_ bench: GroundTruthBench, _ before: TopicRecorder, _ after: TopicRecorder, _ truth: TruthTrack) throws {
        let day = bench.dayStart.timeIntervalSince1970
        let records = PeriodLedger(before, prefix: Self.prefix).records + PeriodLedger(after, prefix: Self.prefix).records
        let ledger = PeriodLedger(records: records)
        let hours = ledger.distinct("lioh-1", "hour", within: day, day + 6 * 3600)
        #expect(hours.count == 6)
        for hour in hours {
            #expect(hour.reasons.isEmpty, "\(hour.label): \(hour.reasons)")
            #expect(hour.figures["electricity_import_kwh"]?.quality == "good", "\(hour.label)")
            let expected = (try truth.advance("pm-main/import_wh", from: hour.start, to: hour.end)
                + truth.advance("pm-aux/import_wh", from: hour.start, to: hour.end)) / 1000
            let published = try hour.value("electricity_import_kwh")
            #expect(abs(published - expected) <= 5e-3 * expected, "\(hour.label): \(published) vs truth \(expected)")
        }
        let powerHours = ledger.distinct("lioh-1-power", "hour", within: day, day + 6 * 3600)
        #expect(powerHours.count == 6)
        for hour in powerHours {
            let changedHere = hour.start == day + 4 * 3600
            #expect(hour.reasons == (changedHere ? ["CONFIG"] : []), "\(hour.label): \(hour.reasons)")
            #expect(hour.text.contains("\"config_revision\":\"") == changedHere, "\(hour.text)")
        }
        #expect(ledger.missingSeqs().isEmpty, "missing seqs: \(ledger.missingSeqs())")
        #expect(ledger.conflictingRepeats().isEmpty)
    }

    /// Demand blocks across both reloads all good; the 15-minute window right after the first reload is
    /// good (the engine's windows were kept); the counts since start run on at the new broker.
    private func checkLive(_ before: TopicRecorder, _ after: TopicRecorder, _ stats: TopicRecorder, _ bench: GroundTruthBench) {
        let day = bench.dayStart.timeIntervalSince1970
        let topic = Self.prefix + "lines/lioh-1/demand_kw_15m"
        var blocks: [Double: String] = [:]
        for block in before.objects(on: topic) + after.objects(on: topic) {
            guard let end = (block["t"] as? String).flatMap(PublishedPeriod.epoch), end > day, end <= day + 6 * 3600 else { continue }
            blocks[end] = (block["q"] as? String ?? "?") + (block["v"] is Double ? "" : " null")
        }
        #expect(blocks.count == 24 && blocks.values.allSatisfy { $0 == "good" }, "blocks: \(blocks.sorted { $0.key < $1.key })")
        let firstWindow = after.objects(on: Self.prefix + "lines/lioh-1/electricity_import_kwh/15m").first
        #expect(firstWindow?["q"] as? String == "good" && (firstWindow?["cov"] as? Double ?? 0) >= 0.95, "\(String(describing: firstWindow))")
        let lastBefore = bench.stats.objects(on: Self.prefix + "gateway/stats").last
        let firstAfter = stats.objects(on: Self.prefix + "gateway/stats").first
        let publishedBefore = lastBefore?["published"] as? Int ?? .max
        #expect((firstAfter?["published"] as? Int ?? 0) >= publishedBefore, "stats: \(String(describing: lastBefore)) then \(String(describing: firstAfter))")
        // The first stats after the reload may be made before the new publisher has connected (it goes out
        // from the spool): by the last one the new broker's connect is counted on top of the old one's.
        let lastAfter = stats.objects(on: Self.prefix + "gateway/stats").last
        #expect((lastAfter?["mqtt_connects"] as? Int ?? 0) >= 2, "stats: \(String(describing: firstAfter)) … \(String(describing: lastAfter))")
    }

    /// Through pm-main's swap the live windows say what the records say: not good, reason RESET.
    private func checkSwap(_ after: TopicRecorder, _ energy: TopicRecorder) throws {
        let swap = try #require(Self.newMeterReading(energy), "no reading of the new meter")
        let windows = after.objects(on: Self.prefix + "lines/lioh-1/electricity_import_kwh/15m").filter {
            guard let end = ($0["t"] as? String).flatMap(PublishedPeriod.epoch) else { return false }
            return end >= swap && end < swap + 850
        }
        #expect(!windows.isEmpty, "no 15m window within 15 minutes after the swap")
        for window in windows {
            #expect(window["q"] as? String != "good" && (window["reasons"] as? [String] ?? []).contains("RESET"), "\(window)")
        }
        let quarter = PeriodLedger(after, prefix: Self.prefix).records.first {
            $0.line == "lioh-1" && $0.period == "15min" && $0.start <= swap && swap < $0.end
        }
        #expect(quarter?.reasons.contains("RESET") == true && quarter?.figures["electricity_import_kwh"]?.quality != "good",
                "\(quarter?.text ?? "no record of the quarter with the swap")")
        print("[swap] \(windows.count) 15m windows after the swap: \(windows.map { "\($0["q"] ?? "?") \($0["reasons"] ?? [])" })")
    }

    /// When the new meter was first read: pm-main's counter falls back towards 0.
    static func newMeterReading(_ energy: TopicRecorder) -> Double? {
        let readings = energy.objects(on: prefix + "devices/pm-main/energy_import").compactMap { reading -> (t: Double, v: Double)? in
            guard let t = (reading["t"] as? String).flatMap(PublishedPeriod.epoch), let v = reading["v"] as? Double else { return nil }
            return (t, v)
        }
        return zip(readings, readings.dropFirst()).first { $1.v < $0.v }?.1.t
    }

    /// Every closed hour and quarter: "so far" messages ran during it, and the last one (`open: false`)
    /// carries the record's figures.
    private func checkToDate(_ after: TopicRecorder) {
        let ledger = PeriodLedger(after, prefix: Self.prefix)
        var compared = 0
        for (period, topicLevel) in [("hour", "hour"), ("15min", "15min")] {
            let messages = after.objects(on: Self.prefix + "lines/lioh-1/todate/\(topicLevel)")
            for record in ledger.records where record.line == "lioh-1" && record.period == period {
                let forPeriod = messages.filter { ($0["start"] as? String).flatMap(PublishedPeriod.epoch) == record.start }
                let last = forPeriod.last { $0["open"] as? Bool == false }
                guard let last, let recordObject = try? JSONSerialization.jsonObject(with: Data(record.text.utf8)) as? [String: Any] else {
                    Issue.record("\(period) \(record.label): no final period-to-date message")
                    continue
                }
                #expect(forPeriod.contains { $0["open"] as? Bool == true }, "\(period) \(record.label): no running total")
                let same = (last["metrics"] as? NSDictionary)?.isEqual(to: recordObject["metrics"] as? [String: Any] ?? [:]) ?? false
                #expect(same, "\(period) \(record.label): final so-far \(last) vs record \(record.text)")
                compared += 1
            }
        }
        print("[to date] \(compared) closed hours and quarters matched by their last period-to-date message")
        #expect(compared >= 10)
    }
}
