import Foundation
import Testing
import TestSupport

/// plantgate's ESG totals against the simulator's ground truth: a whole local day of the lithium-hydroxide
/// plant in three minutes (plant clock 480× real on both sides), and the same day across SIGKILL restarts.
@Suite("ESG totals against the simulator's ground truth (accelerated plant clock)", .serialized, .timeLimit(.minutes(6)))
struct ESGGroundTruthTests {
    /// Counter totals: the meters' own counters, so only the edges' interpolation can differ.
    static let counterTolerance = 1e-4
    /// An hour's counter totals. An hour is 24× shorter than the day, and each edge is interpolated
    /// between two readings stamped when their request was sent: at 480× every real millisecond between
    /// the stamp and the simulator's answer shifts a reading by 0.48 plant seconds (0.013 % of an hour).
    /// With the simulator's clock anchored right (truth `wall_time` from its clock's own origin), the
    /// median stamp offset is 0.07–0.33 plant s but p5 is −0.8 s and single readings go further on a
    /// loaded 2-core box: worst hours seen 0.02–0.2 % (a misplaced edge segment would be over 1 %), while
    /// the day holds 0.0013 % and the shift 0.003 %. Stamping the midpoint of request and reply was tried
    /// and was no better (p95 +1.06 s): the delay falls on either side of the simulator's read. With the
    /// whole test suite running in parallel beside it, single clean hours reached ±0.36 %: the bound is
    /// 0.5 %, still well under a misplaced edge segment.
    static let hourTolerance = 5e-3
    /// The smallest step a meter's register shows, where it is coarse enough to matter over an hour: the
    /// belt scale counts whole kilograms (uint32 raw kg), so each edge of a period is up to 1 kg low and a
    /// total can be off by just under 1 kg (0.04 % of an hour's 2.5 t) whatever the gateway does.
    static let registerStep: [String: Double] = ["product_t": 0.001]
    /// Energy from integrated active power (trapezoids between polls) against the incomer's true counter.
    static let integratedTolerance = 1e-2

    @Test func dayHoursAndShiftsMatchTheTruth() async throws {
        let bench = try await GroundTruthBench(day: DateComponents(year: 2026, month: 3, day: 10), leadSeconds: 8, seed: 11, pollInterval: "100ms")
        try await run(bench) {
            try bench.startDaemon()
            let ledger = try await waitForDay(bench)
            let truth = try await bench.truth(through: bench.dayEnd.addingTimeInterval(60))
            #expect(bench.logs.contains("SIMULATED PLANT CLOCK"), "log: \(bench.logs)")
            let stats = bench.stats.objects(on: "plantgate/\(GroundTruthBench.site)/gateway/stats")
            #expect(stats.contains { $0["simulated_clock_speed"] as? Double == GroundTruthBench.speed })

            let day = try #require(ledger.first("lioh-1", "day", label: bench.dayLabel))
            #expect(day.start == bench.dayStart.timeIntervalSince1970 && day.end == bench.dayEnd.timeIntervalSince1970)
            let dayRows = try compare(day, truth, tolerance: Self.counterTolerance)
            try expectIntensitiesFollowTotals(day)
            #expect(!day.reasons.contains("JUMP") && !day.reasons.contains("BACKWARDS"), "reasons: \(day.reasons)")
            #expect(day.figures["electricity_import_kwh"]?.quality == "good")
            let powerDay = try #require(ledger.first("lioh-1-power", "day", label: bench.dayLabel))
            let powerRow = try compareIntegrated(powerDay, truth)
            report("day \(bench.dayLabel)", dayRows + [powerRow])

            let (a, b) = (bench.dayStart.timeIntervalSince1970, bench.dayEnd.timeIntervalSince1970)
            let hours = ledger.distinct("lioh-1", "hour", within: a, b)
            #expect(hours.count == 24)
            var rows: [Row] = []
            for hour in hours {
                rows += try compare(hour, truth, tolerance: Self.hourTolerance)
                try expectIntensitiesFollowTotals(hour)
            }
            for hour in ledger.distinct("lioh-1-power", "hour", within: a, b) { rows.append(try compareIntegrated(hour, truth)) }
            report("worst of \(hours.count) hours", worst(rows))
            let shifts = ledger.distinct("lioh-1", "shift", within: a, b)
            #expect(shifts.count == 1)
            for shift in shifts { report("shift \(shift.label)", try compare(shift, truth, tolerance: Self.hourTolerance)) }
            #expect(ledger.missingSeqs().isEmpty, "missing seqs: \(ledger.missingSeqs())")
            reportClockOffset(bench, truth)
        }
    }

    @Test func dayTotalsSurviveSIGKILLRestarts() async throws {
        let bench = try await GroundTruthBench(day: DateComponents(year: 2026, month: 3, day: 10), leadSeconds: 8, seed: 12, pollInterval: "100ms")
        try await run(bench) {
            try bench.startDaemon()
            var generator = SplitMix64(seed: 0x5EED_0006)
            let kills = Self.killSchedule(&generator, gapSeconds: 30)
            print("[truth] kill schedule (fraction of the day, real gap s): \(kills.map { (($0.fraction * 1000).rounded() / 1000, $0.gap) })")
            for kill in kills {
                #expect(await bench.waitForPlant(bench.dayStart.addingTimeInterval(kill.fraction * 86_400)))
                await bench.killDaemon()
                for (file, answer) in try await bench.integrityChecks() { #expect(answer == "ok", "\(file) after SIGKILL: \(answer)") }
                if kill.gap > 0 {
                    // The daemon stays down for `gap` real seconds (hours of plant time): the outage under test.
                    #expect(await bench.waitForPlant(bench.plantNow.addingTimeInterval(kill.gap * GroundTruthBench.speed)))
                }
                try bench.startDaemon()
            }
            let ledger = try await waitForDay(bench)
            let truth = try await bench.truth(through: bench.dayEnd.addingTimeInterval(60))
            #expect(await bench.stopDaemon() == 0, "log: \(bench.logs)")
            for (file, answer) in try await bench.integrityChecks() { #expect(answer == "ok", "\(file) after SIGTERM: \(answer)") }
            #expect(bench.logs.components(separatedBy: "restored open periods").count - 1 == kills.count, "log: \(bench.logs)")

            let day = try #require(ledger.first("lioh-1", "day", label: bench.dayLabel))
            let rows = try compare(day, truth, tolerance: Self.counterTolerance)
            try expectIntensitiesFollowTotals(day)
            #expect(day.reasons.contains("RESTART"), "reasons: \(day.reasons)")
            #expect(!day.reasons.contains("JUMP") && !day.reasons.contains("BACKWARDS"), "reasons: \(day.reasons)")
            // Power is not bridged over an outage: the power-only line must say it missed time.
            let powerDay = try #require(ledger.first("lioh-1-power", "day", label: bench.dayLabel))
            let powerTruth = try truth.advance("pm-main/import_wh", from: powerDay.start, to: powerDay.end) / 1000
            let powerKWh = try powerDay.value("electricity_import_kwh")
            let coverage = powerDay.figures["electricity_import_kwh"]?.coverage ?? .nan
            #expect(coverage < 0.9 && powerKWh < powerTruth && powerDay.figures["electricity_import_kwh"]?.quality != "good")
            report("day \(bench.dayLabel) across \(kills.count) SIGKILLs", rows + [
                Row(id: "electricity_import_kwh (power line, cov \(String(format: "%.3f", coverage)))", published: powerKWh, truth: powerTruth),
            ])

            // Hours untouched by a restart still match; the ones that are touched say so.
            let (a, b) = (bench.dayStart.timeIntervalSince1970, bench.dayEnd.timeIntervalSince1970)
            let hours = ledger.distinct("lioh-1", "hour", within: a, b)
            let clean = hours.filter { $0.reasons.isEmpty && $0.figures["electricity_import_kwh"]?.quality == "good" }
            var cleanRows: [Row] = []
            for hour in clean { cleanRows += try compare(hour, truth, tolerance: Self.hourTolerance) }
            report("restart run, worst of \(clean.count) clean hours", worst(cleanRows))
            print("[truth] restart run: \(hours.count) hours published, \(clean.count) good ones without RESTART checked within 0.5 %")
            #expect(hours.count == 24)
            let missing = ledger.missingSeqs()
            #expect(missing.isEmpty, "missing seqs: \(missing)")
            let duplicates = ledger.duplicates()
            #expect(duplicates.consistent)
            // A repeat is the stored record sent again, never the period closed a second time from older state.
            #expect(ledger.conflictingRepeats().isEmpty, "closed twice with different figures: \(ledger.conflictingRepeats())")
            print("[truth] restart run: \(ledger.records.count) period records, \(duplicates.count) repeated by seq, none missing: \(missing.isEmpty)")
        }
    }

    /// SIGKILL the moment an hour's record is out (before the periodic snapshot would have run), restart at
    /// once: that hour is not closed again with other values, and the hours after it hold exactly the plant's
    /// usage: nothing between the last snapshot and the close is counted a second time.
    @Test func aPeriodClosedJustBeforeSIGKILLIsNotClosedAgainNorCountedTwice() async throws {
        let bench = try await GroundTruthBench(day: DateComponents(year: 2026, month: 3, day: 10), leadSeconds: 8, seed: 13, pollInterval: "100ms")
        try await run(bench) {
            try bench.startDaemon()
            let prefix = "plantgate/\(GroundTruthBench.site)/"
            let hour = bench.dayStart.addingTimeInterval(3_600).timeIntervalSince1970
            func hourRecord(_ start: Double) -> PublishedPeriod? {
                PeriodLedger(bench.recorder, prefix: prefix).records.first { $0.line == "lioh-1" && $0.period == "hour" && $0.start == start }
            }
            let closed = await eventually(timeout: .seconds(60), pollInterval: .milliseconds(5)) { hourRecord(hour) != nil }
            try #require(closed, "no record of the hour from 01:00; log: \(bench.logs.suffix(4000))")
            await bench.killDaemon()
            try bench.startDaemon()
            let following = (hour + 3_600, hour + 7_200)
            let arrived = await eventually(timeout: .seconds(60), pollInterval: .milliseconds(100)) { hourRecord(following.1) != nil }
            try #require(arrived, "no record of the hours after the restart; log: \(bench.logs.suffix(4000))")
            let truth = try await bench.truth(through: Date(timeIntervalSince1970: following.1 + 3_600 + 60))
            let ledger = PeriodLedger(bench.recorder, prefix: prefix)
            #expect(bench.logs.contains("restored open periods"), "log: \(bench.logs)")

            #expect(ledger.conflictingRepeats().isEmpty, "closed twice with different figures: \(ledger.conflictingRepeats())")
            #expect(ledger.missingSeqs().isEmpty, "missing seqs: \(ledger.missingSeqs())")
            let before = try #require(hourRecord(hour))
            let beforeRows = try compare(before, truth, tolerance: Self.hourTolerance)
            // The restart falls in the first or second hour after the close; together they are exact however
            // the downtime's counter delta was split between them.
            let first = try #require(hourRecord(following.0)), second = try #require(hourRecord(following.1))
            #expect((first.reasons + second.reasons).contains("RESTART"), "reasons: \(first.reasons) \(second.reasons)")
            var rows: [Row] = []
            for id in ["electricity_import_kwh", "gas_volume_nm3", "water_withdrawal_m3", "water_discharge_m3", "water_recycled_m3", "product_t"] {
                let published = try first.value(id) + second.value(id)
                let row = Row(id: id, published: published, truth: try expectedUsage(id, truth, from: following.0, to: following.1 + 3_600))
                #expect(abs(row.relative) <= max(Self.hourTolerance, Self.registerStep[id, default: 0] / abs(row.truth)), "hours \(first.label) + \(second.label) \(id): published \(row.published), truth \(row.truth)")
                rows.append(row)
            }
            report("hour \(before.label) (closed, then SIGKILL)", beforeRows)
            report("hours \(first.label) + \(second.label) across the restart", rows)
        }
    }

    // MARK: - Helpers

    struct Row {
        var id: String
        var published: Double
        var truth: Double
        var relative: Double { truth == 0 ? (published == 0 ? 0 : .infinity) : (published - truth) / truth }
    }

    /// The published totals of `record` against the true counter advances over its span.
    func compare(_ record: PublishedPeriod, _ truth: TruthTrack, tolerance: Double) throws -> [Row] {
        let ids = ["electricity_import_kwh", "gas_volume_nm3", "water_withdrawal_m3", "water_discharge_m3", "water_recycled_m3", "product_t"]
        return try ids.map { id in
            let row = Row(id: id, published: try record.value(id), truth: try expectedUsage(id, truth, from: record.start, to: record.end))
            #expect(abs(row.relative) <= max(tolerance, Self.registerStep[id, default: 0] / abs(row.truth)), "\(record.period) \(record.label) \(id): published \(row.published), truth \(row.truth)")
            return row
        }
    }

    /// What the simulator's meters truly counted for the metric `id` of line lioh-1 between two plant times.
    func expectedUsage(_ id: String, _ truth: TruthTrack, from a: Double, to b: Double) throws -> Double {
        func advance(_ key: String) throws -> Double { try truth.advance(key, from: a, to: b) }
        switch id {
        case "electricity_import_kwh": return (try advance("pm-main/import_wh") + advance("pm-aux/import_wh")) / 1000
        case "gas_volume_nm3": return try advance("gas-calciner/gas_nm3")
        case "water_withdrawal_m3": return try advance("fm-intake/volume_m3")
        case "water_discharge_m3": return try advance("fm-discharge/volume_m3")
        case "water_recycled_m3": return try advance("fm-recycle/volume_m3")
        case "product_t": return try advance("scale-product/product_t")
        default: throw TestSupportError("no ground truth for \(id)")
        }
    }

    /// The power-only line's energy against the incomer's true import counter.
    func compareIntegrated(_ record: PublishedPeriod, _ truth: TruthTrack) throws -> Row {
        let row = Row(id: "electricity_import_kwh (integrated power)", published: try record.value("electricity_import_kwh"),
                      truth: try truth.advance("pm-main/import_wh", from: record.start, to: record.end) / 1000)
        #expect(abs(row.relative) <= Self.integratedTolerance, "\(record.period) \(record.label): published \(row.published), truth \(row.truth)")
        return row
    }

    /// Intensities and emissions are the record's own totals combined (1e-9 relative), or withheld below min_t.
    func expectIntensitiesFollowTotals(_ record: PublishedPeriod) throws {
        let kwh = try record.value("electricity_import_kwh"), gas = try record.value("gas_volume_nm3")
        let withdrawal = try record.value("water_withdrawal_m3"), product = try record.value("product_t")
        let scope1 = try record.value("scope1_combustion_tco2e"), scope2 = try record.value("scope2_lb_tco2e")
        func close(_ id: String, _ published: Double, _ expected: Double) {
            #expect(abs(published - expected) <= 1e-9 * abs(expected), "\(record.period) \(record.label) \(id): \(published) vs \(expected)")
        }
        close("scope2_lb_tco2e", scope2, kwh * 0.80 / 1000)
        close("scope1_combustion_tco2e", scope1, gas * 35.8 / 1000 * 56.15 / 1000)
        guard product >= 0.2 else {
            for id in ["sec_electric_kwh_per_t", "water_intensity_m3_per_t", "ghg_intensity_kgco2e_per_t"] {
                #expect(record.figures[id]?.value == nil, "\(record.label) \(id) must be withheld below min_t")
            }
            return
        }
        close("sec_electric_kwh_per_t", try record.value("sec_electric_kwh_per_t"), kwh / product)
        close("water_intensity_m3_per_t", try record.value("water_intensity_m3_per_t"), withdrawal / product)
        close("ghg_intensity_kgco2e_per_t", try record.value("ghg_intensity_kgco2e_per_t"), (scope1 + scope2) * 1000 / product)
    }

    /// Waits for both lines' records of the bench's day.
    func waitForDay(_ bench: GroundTruthBench) async throws -> PeriodLedger {
        let prefix = "plantgate/\(GroundTruthBench.site)/"
        let realLeft = bench.dayEnd.timeIntervalSince(bench.plantNow) / GroundTruthBench.speed
        let arrived = await eventually(timeout: .seconds(Int(realLeft) + 40), pollInterval: .milliseconds(250)) {
            let ledger = PeriodLedger(bench.recorder, prefix: prefix)
            return ledger.first("lioh-1", "day", label: bench.dayLabel) != nil && ledger.first("lioh-1-power", "day", label: bench.dayLabel) != nil
        }
        #expect(arrived, "no day record for \(bench.dayLabel); log: \(bench.logs.suffix(4000))")
        guard arrived else { throw TestSupportError("no day record for \(bench.dayLabel)") }
        return PeriodLedger(bench.recorder, prefix: prefix)
    }

    /// Runs `body`, then stops everything on the bench whatever happened.
    func run(_ bench: GroundTruthBench, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            await bench.shutDown()
            throw error
        }
        await bench.shutDown()
    }

    /// The row with the largest error for each metric.
    func worst(_ rows: [Row]) -> [Row] {
        var worst: [String: Row] = [:]
        for row in rows where worst[row.id].map({ abs(row.relative) > abs($0.relative) }) ?? true { worst[row.id] = row }
        return worst.values.sorted { $0.id < $1.id }
    }

    func report(_ title: String, _ rows: [Row]) {
        print("[truth] \(title):")
        for row in rows {
            print("[truth]   \(row.id): published \(String(format: "%.6f", row.published)), truth \(String(format: "%.6f", row.truth)), "
                  + "error \(String(format: "%+.5f", row.relative * 100)) %")
        }
    }

    /// How far plantgated's plant clock is from the simulator's: each raw energy sample's stamp against the
    /// plant time at which the true counter showed that value (reported; a large offset fails).
    func reportClockOffset(_ bench: GroundTruthBench, _ truth: TruthTrack) {
        let samples = bench.energy.objects(on: "plantgate/\(GroundTruthBench.site)/devices/pm-main/energy_import")
        let offsets = samples.compactMap { sample -> Double? in
            guard let value = sample["v"] as? Double, let stamp = (sample["t"] as? String).flatMap(PublishedPeriod.epoch),
                let when = truth.time("pm-main/import_wh", reaching: value)
            else { return nil }
            return stamp - when
        }.sorted()
        guard !offsets.isEmpty else { return }
        let median = offsets[offsets.count / 2]
        print("[truth] clock offset plantgated − simulator over \(offsets.count) energy samples: median \(String(format: "%.2f", median)) plant s, "
              + "p5 \(String(format: "%.2f", offsets[offsets.count / 20])) s, p95 \(String(format: "%.2f", offsets[offsets.count * 19 / 20])) s")
        // The register reads a counter a few ms after the request's stamp; more than 0.1 s real is a clock bug.
        #expect(abs(median) < 0.1 * GroundTruthBench.speed)
    }

    /// Kill points (fractions of the day) with the real seconds the daemon stays down: three immediate
    /// restarts and one after `gapSeconds`, at seeded-random points at least ~12 s real apart.
    static func killSchedule(_ generator: inout SplitMix64, gapSeconds: Double) -> [(fraction: Double, gap: Double)] {
        let spacing = 0.07, gapFraction = gapSeconds * GroundTruthBench.speed / 86_400
        while true {
            // Not before 0.1 of the day: the previous day's records must have closed in the first run.
            let points = (0..<4).map { _ in 0.1 + 0.76 * generator.nextUnit() }.sorted()
            let gapIndex = Int(generator.next() % 3)
            var ok = true
            for index in 1..<points.count {
                let needed = spacing + (index - 1 == gapIndex ? gapFraction : 0)
                if points[index] - points[index - 1] < needed { ok = false }
            }
            if ok { return points.enumerated().map { ($1, $0 == gapIndex ? gapSeconds : 0) } }
        }
    }
}

/// A small seeded generator (SplitMix64) so the kill points repeat run to run.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
