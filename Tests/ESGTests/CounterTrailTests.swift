import Foundation
import PlantModel
import Testing

@testable import ESG

/// Records an auditor can recompute: each counter's interpolated edges, the readings either side of
/// them, and its breaks (rollover, reset or meter swap) give back the record's total.
@Suite struct CounterTrailTests {
    /// The record's `counters` entry of `path`, parsed from the published JSON.
    static func published(_ record: PeriodRecord, _ path: String = "pm/energy_import") throws -> [String: Any] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(record.json().utf8)) as? [String: Any])
        return try #require((json["counters"] as? [String: Any])?[path] as? [String: Any])
    }

    static func reading(_ object: Any?) -> (v: Double, t: Date)? {
        guard let object = object as? [String: Any], let v = object["v"] as? Double ?? (object["v"] as? Int).map(Double.init),
              let text = object["t"] as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { (v, $0) }
    }

    static func number(_ any: Any?) -> Double? { any as? Double ?? (any as? Int).map(Double.init) }

    /// end − start − break_offsets, from the published fields only.
    static func recomputed(_ counter: [String: Any]) -> Double? {
        guard let start = number(counter["start"]), let end = number(counter["end"]) else { return nil }
        return end - start - (number(counter["break_offsets"]) ?? 0)
    }

    @Test("a steady counter read off the edges: end − start of the published counter is the record's figure")
    func interpolatedEdgesReproduceTheTotal() throws {
        var f = try Feeder(site: Fixture.site(), lines: [CounterTests.line()], epoch: FormulaTests.hour10)
        var generator = SeededGenerator(state: 19)
        var value = 187_000.0
        var t = 0.3
        while t < 3 * 3600 + 5 {
            f.sample(0, value, at: t)
            let step = Double.random(in: 0.7...1.3, using: &generator)
            value += 0.052 * step * Double.random(in: 0.5...1.5, using: &generator)
            t += step
            if Int(t) % 600 == 0 { f.advance(to: t) }
        }
        f.advance(to: 3 * 3600 + 10)
        for hour in [3600.0, 7200.0] {
            let record = try #require(f.record(.hour, startingAt: hour))
            let figure = try #require(record.metric("electricity_import_kwh")?.value)
            let counter = try Self.published(record)
            #expect(counter["u"] as? String == "kWh")
            let recomputed = try #require(Self.recomputed(counter))
            #expect(abs(recomputed - figure) <= 1e-9 * figure, "end − start = \(recomputed), figure \(figure)")
            #expect(abs((Self.number(counter["counted"]) ?? .nan) - figure) <= 1e-9 * figure)

            // Each edge lies between the readings either side of it, at the time-proportional point.
            let edgeTime = Date(timeIntervalSince1970: Double(FormulaTests.hour10) + hour)
            let startEdge = try #require(counter["start_edge"] as? [String: Any])
            let before = try #require(Self.reading(startEdge["before"]))
            let after = try #require(Self.reading(startEdge["after"]))
            #expect(before.t < edgeTime && edgeTime <= after.t)
            let share = edgeTime.timeIntervalSince(before.t) / after.t.timeIntervalSince(before.t)
            let start = try #require(Self.number(counter["start"]))
            // The published times are whole milliseconds: recomputed from them, the edge may differ by 1 ms of flow.
            let perMillisecond = (after.v - before.v) / after.t.timeIntervalSince(before.t) / 1000
            #expect(abs(start - (before.v + (after.v - before.v) * share)) <= 2 * perMillisecond, "start \(start) is not interpolated")
            let endEdge = try #require(counter["end_edge"] as? [String: Any])
            let endAfter = try #require(Self.reading(endEdge["after"]))
            #expect(endAfter.t >= edgeTime.addingTimeInterval(3600))
            #expect(counter["breaks"] == nil)
        }
    }

    @Test("a rollover is in the record with the modulus applied and both readings")
    func rolloverLeavesATrail() throws {
        let r = try CounterTests.hourRecord([(0, 65_534), (1, 65_535), (2, 0.25), (3, 1.25)], modulus: 65_536)
        let counter = try Self.published(r)
        let breaks = try #require(counter["breaks"] as? [[String: Any]])
        #expect(breaks.count == 1)
        let rollover = try #require(breaks.first)
        #expect(rollover["kind"] as? String == "ROLLOVER")
        #expect(Self.number(rollover["modulus"]) == 65_536)
        #expect(Self.reading(rollover["before"])?.v == 65_535 && Self.reading(rollover["after"])?.v == 0.25)
        #expect(close(Self.number(rollover["counted"]), 65_536 - 65_535 + 0.25, rel: 1e-12))
        #expect(close(Self.recomputed(counter), try #require(r.metric("electricity_import_kwh")?.value), rel: 1e-12))
        #expect(close(Self.recomputed(counter), 1 + 1.25 + 1, rel: 1e-12))
    }

    @Test("a meter swap: the old meter's last reading, the new meter's first, their times and what was counted across")
    func meterSwapLeavesATrail() throws {
        var f = try Feeder(site: Fixture.site(), lines: [CounterTests.line()], epoch: FormulaTests.hour10)
        for (t, v) in [(0.0, 5_000.0), (600, 5_100), (1200, 5_200), (1260, 3), (1800, 50)] { f.sample(0, v, at: t) }
        f.advance(to: 3610)
        let r = try #require(f.record(.hour, startingAt: 0))
        let counter = try Self.published(r)
        let swap = try #require((counter["breaks"] as? [[String: Any]])?.first)
        #expect(swap["kind"] as? String == "RESET")
        let old = try #require(Self.reading(swap["before"]))
        let new = try #require(Self.reading(swap["after"]))
        #expect(old.v == 5_200 && new.v == 3)
        #expect(old.t == Date(timeIntervalSince1970: Double(FormulaTests.hour10) + 1200))
        #expect(new.t == Date(timeIntervalSince1970: Double(FormulaTests.hour10) + 1260))
        #expect(Self.number(swap["counted"]) == 3)
        let figure = try #require(r.metric("electricity_import_kwh")?.value)
        #expect(close(figure, 200 + 3 + 47, rel: 1e-12))
        #expect(close(Self.recomputed(counter), figure, rel: 1e-12), "\(counter)")
        #expect((counter["reasons"] as? [String])?.contains("RESET") == true)
    }

    @Test("records made from the same readings are equal, unknown edges (no reading before the start) included")
    func sameReadingsSameRecord() throws {
        let readings: [(Double, Double?)] = [(0.5, 100), (1.5, 101), (2.5, 102)]
        let a = try CounterTests.hourRecord(readings), b = try CounterTests.hourRecord(readings)
        #expect(a.counters.first?.trail?.startBefore.isKnown == false)
        #expect(a == b)
    }

    @Test("the trail survives a snapshot: a restart keeps the edge readings and breaks of the open period")
    func trailSurvivesASnapshot() throws {
        var f = try Feeder(site: Fixture.site(), lines: [CounterTests.line(modulus: 65_536)], epoch: FormulaTests.hour10)
        for (t, v) in [(0.5, 65_535.0), (1.5, 65_535.5), (2.5, 0.5)] { f.sample(0, v, at: t) }
        let data = try JSONEncoder().encode(f.engine.snapshot(at: f.instant(3)))
        var restored = try Feeder(site: Fixture.site(), lines: [CounterTests.line(modulus: 65_536)], epoch: FormulaTests.hour10)
        try restored.engine.restore(from: try JSONDecoder().decode(EngineSnapshot.self, from: data))
        restored.sample(0, 1.5, at: 4)
        restored.advance(to: 3610)
        let r = try #require(restored.record(.hour, startingAt: 0))
        let counter = try Self.published(r)
        #expect(Self.number(counter["start"]) == 65_535)
        #expect((counter["breaks"] as? [[String: Any]])?.first?["kind"] as? String == "ROLLOVER")
        #expect(close(Self.recomputed(counter), try #require(r.metric("electricity_import_kwh")?.value), rel: 1e-12))
    }
}
