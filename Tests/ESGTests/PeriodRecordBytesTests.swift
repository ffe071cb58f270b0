import Foundation
import PlantModel
import Testing

@testable import ESG

/// The ledger signs a period record's published bytes, so moving the record onto the one `JSONWriter`
/// must not change a byte. The oracle is the string-built serializer the records had before (kept here
/// verbatim in behaviour): every record below, with rollovers, swaps, unknown edges, factors, a revision
/// and strings that need escaping, prints the same bytes both ways.
@Suite struct PeriodRecordBytesTests {
    static func records() throws -> [PeriodRecord] {
        var records = [
            try CounterTests.hourRecord([(0, 65_534), (1, 65_535), (2, 0.25), (3, 1.25)], modulus: 65_536),
            try CounterTests.hourRecord([(0.5, 100), (1.5, 101), (2.5, 102)]),
            try CounterTests.hourRecord([(0.5, 100), (1.5, nil), (2.5, 102), (900, 5), (1800, 7), (2700, 1)]),
        ]
        var f = try Feeder(site: Fixture.site(), lines: [CounterTests.line()], epoch: FormulaTests.hour10)
        for (t, v) in [(0.0, 5_000.0), (600, 5_100), (1200, 5_200), (1260, 3), (1800, 50), (2400, 2), (3000, 9)] { f.sample(0, v, at: t) }
        f.advance(to: 3610)
        records.append(try #require(f.record(.hour, startingAt: 0)))
        var odd = records[0]
        odd.line = "line \"7\"\\\n\r\t\u{1}ü"
        odd.span.label = "2026-03-10T11:00+01:00\u{1F}"
        odd.configRevision = "e5acba93a150bcdd"
        odd.factors.append(.init(role: "grid\n", id: "id\"", value: -0.0, unit: "kgCO2e/kWh", source: "src\\", vintage: 2024))
        odd.factors.append(.init(role: "gas", id: "ipcc", value: 1e17, unit: "kgCO2e/GJ", source: "IPCC", vintage: nil))
        odd.seq = 18_446_744_073_709_551_615
        records.append(odd)
        return records
    }

    @Test func recordBytesAreThoseOfTheFormerSerializer() throws {
        for record in try Self.records() {
            #expect(record.json() == FormerRecordJSON.json(record))
            #expect(record.jsonBytes() == Array(FormerRecordJSON.json(record).utf8))
        }
    }
}

/// The record serializer before the one JSON writer (string concatenation), as the oracle.
private enum FormerRecordJSON {
    static func json(_ r: PeriodRecord) -> String {
        var out = "{"
        out += "\"line\":" + quoted(r.line)
        out += ",\"period\":" + quoted(r.period.rawValue)
        out += ",\"start\":" + quoted(UTCTimestamp.rfc3339(r.span.start))
        out += ",\"end\":" + quoted(UTCTimestamp.rfc3339(r.span.end))
        out += ",\"label\":" + quoted(r.span.label)
        out += ",\"hours\":" + number(r.span.hours)
        out += ",\"seq\":\(r.seq)"
        out += ",\"metrics\":{"
        for (i, m) in r.metrics.enumerated() {
            if i > 0 { out += "," }
            let v = m.value
            out += quoted(m.id) + ":{\"v\":" + (v.value.map(number) ?? "null")
            out += ",\"u\":" + quoted(m.unit) + ",\"q\":" + quoted(v.quality.name)
            out += ",\"cov\":" + number(v.coverage) + ",\"est\":" + number(v.estimatedShare)
            if !v.reasons.isEmpty { out += ",\"reasons\":" + list(v.reasons.codes) }
            out += "}"
        }
        out += "},\"reasons\":" + list(r.reasons.codes)
        out += ",\"counters\":{"
        for (i, c) in r.counters.enumerated() {
            if i > 0 { out += "," }
            out += quoted(c.tagPath) + ":{\"start\":" + (c.rawStart.map(number) ?? "null")
            out += ",\"end\":" + (c.rawEnd.map(number) ?? "null") + ",\"u\":" + quoted(c.unit)
            if let counted = c.counted, let trail = c.trail { out += ",\"counted\":" + number(counted) + trailFields(trail) }
            if !c.reasons.isEmpty { out += ",\"reasons\":" + list(c.reasons.codes) }
            out += "}"
        }
        out += "},\"factors\":{"
        for (i, f) in r.factors.enumerated() {
            if i > 0 { out += "," }
            out += quoted(f.role) + ":{\"id\":" + quoted(f.id) + ",\"value\":" + number(f.value)
            out += ",\"unit\":" + quoted(f.unit) + ",\"source\":" + quoted(f.source)
            if let vintage = f.vintage { out += ",\"vintage\":\(vintage)" }
            out += "}"
        }
        out += "},\"gwp\":" + quoted(r.gwpSet)
        out += ",\"product_basis\":" + quoted(r.productBasis)
        if let revision = r.configRevision { out += ",\"config_revision\":" + quoted(revision) }
        return out + "}"
    }

    static func trailFields(_ trail: CounterTrail) -> String {
        var out = ",\"start_edge\":" + edge(trail.startBefore, trail.startAfter)
        out += ",\"end_edge\":" + edge(trail.endBefore, trail.endAfter)
        guard trail.breakCount > 0 else { return out }
        out += ",\"breaks\":[" + breakJSON(trail.firstBreak)
        if trail.breakCount > 1 { out += "," + breakJSON(trail.lastBreak) }
        return out + "],\"break_count\":\(trail.breakCount),\"break_offsets\":" + number(trail.breakOffsets)
    }

    static func edge(_ before: CounterReading, _ after: CounterReading) -> String {
        "{\"before\":" + reading(before) + ",\"after\":" + reading(after) + "}"
    }

    static func reading(_ r: CounterReading) -> String {
        r.isKnown ? "{\"v\":" + number(r.value) + ",\"t\":" + quoted(UTCTimestamp.rfc3339(r.wallNanos)) + "}" : "null"
    }

    static func breakJSON(_ b: CounterBreak) -> String {
        var out = "{\"kind\":" + quoted(b.kind.codes.first ?? "")
        out += ",\"before\":" + reading(b.before) + ",\"after\":" + reading(b.after) + ",\"counted\":" + number(b.counted)
        if b.modulus > 0 { out += ",\"modulus\":" + number(b.modulus) }
        return out + ",\"offset\":" + number(b.offset) + "}"
    }

    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
    }

    static func list(_ items: [String]) -> String { "[" + items.map(quoted).joined(separator: ",") + "]" }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
