@testable import ESG
import Foundation
import Ledger
import Logging
import PlantModel
import Testing
import TestSupport
@testable import Gateway

/// The events that explain the figures, made from their sources: factors of two configurations, a
/// device's health over time, a closed record's coverage.
@Suite struct LedgerEventsTests {
    static let grid = LedgerFactor(id: "kz-grid-2023", value: 0.62, unit: "kgCO2e/kWh", source: "KEGOC", vintage: 2023)

    @Test func aFactorChangeNamesOldAndNewPerLineAndRole() {
        let gas = LedgerFactor(id: "ipcc-ng", value: 56.1, unit: "kgCO2e/GJ", source: "IPCC 2006")
        var newGrid = Self.grid
        newGrid.id = "kz-grid-2024"
        newGrid.value = 0.58
        let old = FactorsInForce(lines: ["lioh-1": ["grid": Self.grid, "fuel:natural_gas": gas], "cu-1": ["grid": Self.grid], "gone": ["grid": Self.grid]])
        let new = FactorsInForce(lines: ["lioh-1": ["grid": newGrid], "cu-1": ["grid": Self.grid], "added": ["grid": newGrid]])
        let events = old.changes(to: new)
        #expect(events == [
            .factorChanged(line: "lioh-1", role: "fuel:natural_gas", old: gas, new: nil),
            .factorChanged(line: "lioh-1", role: "grid", old: Self.grid, new: newGrid),
        ])
        #expect(events[1].json == #"{"event":"factor-change","line":"lioh-1","role":"grid","old":{"id":"kz-grid-2023","value":0.62,"unit":"kgCO2e/kWh","source":"KEGOC","vintage":2023},"new":{"id":"kz-grid-2024","value":0.58,"unit":"kgCO2e/kWh","source":"KEGOC","vintage":2023}}"#)
        #expect(old.changes(to: old).isEmpty)
    }

    /// `old` and `new` of a factor-change are byte for byte the factor's member in the period records.
    @Test func aFactorIsStatedAsTheRecordsCarryIt() {
        var record = LedgerWriterTests.record(seq: 1, start: 0)
        record.factors = [
            .init(role: "grid", id: "kz-grid-2023", value: 0.62, unit: "kgCO2e/kWh", source: "KEGOC", vintage: 2023),
            .init(role: "fuel:natural_gas", id: "ipcc-ng", value: 56.1, unit: "kgCO2e/GJ", source: "IPCC 2006", vintage: nil),
            .init(role: "lce", id: "lce:LiOH·H2O", value: 0.8804, unit: "t LCE/t", source: "molar masses", vintage: nil),
            .init(role: "market_instrument_share", id: "ppa-1", value: 1, unit: "1", source: "PPA \"north\"", vintage: 2025),
        ]
        let json = record.json()
        for use in record.factors {
            #expect(json.contains(LedgerJSON.quoted(use.role) + ":" + LedgerFactor(use).json), "\(use.role): \(json)")
        }
    }

    @Test func factorsAreNotedSoTheNextStartSeesAChangeAndAnUnchangedOneSaysNothing() throws {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: LedgerWriterTests.logger)
        let first = FactorsInForce(lines: ["lioh-1": ["grid": Self.grid]])
        writer.noteFactors(first)
        writer.noteFactors(first)
        writer.close()
        var changed = Self.grid
        changed.value = 0.7
        let reopened = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: LedgerWriterTests.logger)
        reopened.noteFactors(FactorsInForce(lines: ["lioh-1": ["grid": changed]]))
        reopened.flush()
        let lines = try LedgerStore(directory: directory.path, readOnly: true).lines()
        let events = lines.compactMap { try? LedgerEntry(bytes: $0).header.event }
        #expect(events == ["key-created", "factor-change"])
        #expect(String(decoding: lines[1], as: UTF8.self).contains(#""old":{"id":"kz-grid-2023","value":0.62"#))
        #expect(String(decoding: lines[1], as: UTF8.self).contains(#""new":{"id":"kz-grid-2023","value":0.7"#))
        #expect(LedgerVerifier().verify(lines).problem == nil)
    }

    @Test func aDeviceOutageIsOneEntryDownAndOneUpWithReasonTimesAndInputs() throws {
        let directory = try temporaryDirectory("plantgate-ledger")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try LedgerWriter(directory: directory.path, site: "kz-lioh", logger: LedgerWriterTests.logger)
        var outages = DeviceOutages(inputs: ["pm-main": [.init(line: "lioh-1", tag: "pm-main/energy_import")]], ledger: writer)
        var device = DeviceStatistics(id: "pm-main", unit: 1)
        outages.note(device, plantNowNanos: 0)  // not polled yet: nothing
        device.cycles = 1
        device.up = true
        device.lastGoodPollWallNanos = 1_000_000_000
        outages.note(device, plantNowNanos: 1_000_000_000)
        device.up = false
        device.lastError = "timeout"
        for second in 5...9 {  // failed polls go on: still one outage
            device.lastErrorWallNanos = Int64(second) * 1_000_000_000
            outages.note(device, plantNowNanos: Int64(second) * 1_000_000_000)
        }
        device.up = true
        device.lastGoodPollWallNanos = 65_000_000_000
        outages.note(device, plantNowNanos: 65_000_000_000)
        outages.note(device, plantNowNanos: 66_000_000_000)
        writer.flush()
        let lines = try LedgerStore(directory: directory.path, readOnly: true).lines().map { String(decoding: $0, as: UTF8.self) }
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix(#"{"event":"device-down","device":"pm-main","reason":"timeout","down_at":"1970-01-01T00:00:05.000Z","inputs":[{"line":"lioh-1","tag":"pm-main/energy_import"}],"ledger":"#))
        #expect(lines[2].hasPrefix(#"{"event":"device-up","device":"pm-main","reason":"timeout","down_at":"1970-01-01T00:00:05.000Z","up_at":"1970-01-01T00:01:05.000Z","down_s":60,"inputs":[{"line":"lioh-1","tag":"pm-main/energy_import"}],"ledger":"#))
    }

    @Test func aRecordBelowFullCoverageSaysWhichMetricsAndInputs() throws {
        var record = LedgerWriterTests.record(seq: 1, start: 0)
        #expect(LedgerWriter.coverageGap(in: record) == nil)
        record.metrics[0].value = MetricValue(value: 700, quality: .uncertain, coverage: 0.875, estimatedShare: 0.125)
        record.counters[0].reasons = [.gapFilled, .deviceDown, .rollover]
        let gap = try #require(LedgerWriter.coverageGap(in: record))
        #expect(LedgerEvent.coverageGap(gap).json == #"{"event":"coverage-gap","line":"lioh-1","period":"hour","label":"h1","period_start":"1970-01-01T00:00:00.000Z","period_end":"1970-01-01T01:00:00.000Z","cov":0.875,"metrics":{"electricity_import_kwh":{"cov":0.875,"est":0.125}},"inputs":{"pm-main/energy_import":["GAP_FILLED","DEVICE_DOWN"]}}"#)
        #expect(LedgerWriter.events(in: record).map(\.name) == ["meter-rollover", "coverage-gap"])
    }
}
