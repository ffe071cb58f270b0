import ESG
import Foundation
@testable import Gateway
import PlantModel
import Testing

@Suite("Payloads of the MQTT contract")
struct PayloadTests {
    func parse(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func rawValueHasValueUnitQualityAndMillisecondUTC() throws {
        var writer = JSONWriter()
        let sample = Sample(tag: 0, value: 412.75, quality: .good, time: Instant(wallNanos: 1_795_770_900_250_000_000, monoNanos: 1))
        Payloads.value(sample, unit: "kW", into: &writer)
        let object = try parse(writer.bytes)
        #expect(object["v"] as? Double == 412.75)
        #expect(object["u"] as? String == "kW")
        #expect(object["q"] as? String == "good")
        #expect(object["t"] as? String == "2026-11-27T09:15:00.250Z")
        #expect(object["reason"] == nil)
    }

    @Test func badValueIsNullWithItsReason() throws {
        var writer = JSONWriter()
        let sample = Sample(tag: 0, value: .nan, quality: .bad, reason: .timeout, time: Instant(wallNanos: 0, monoNanos: 0))
        Payloads.value(sample, unit: "m3/h", into: &writer)
        let object = try parse(writer.bytes)
        #expect(object["v"] is NSNull)
        #expect(object["q"] as? String == "bad")
        #expect(object["reason"] as? String == "TIMEOUT")
        #expect(object["t"] as? String == "1970-01-01T00:00:00.000Z")
    }

    @Test func writerReusesItsBufferAndEscapesStrings() throws {
        var writer = JSONWriter()
        for round in 0..<3 {
            writer.reset()
            writer.beginObject()
            writer.key("name"); writer.string("line \"\(round)\"\n\\")
            writer.key("n"); writer.integer(-42)
            writer.key("ok"); writer.bool(round % 2 == 0)
            writer.endObject()
            let object = try parse(writer.bytes)
            #expect(object["name"] as? String == "line \"\(round)\"\n\\")
            #expect(object["n"] as? Int == -42)
            #expect(object["ok"] as? Bool == (round % 2 == 0))
        }
    }

    @Test(arguments: [Int64(0), 951_782_400_123_000_000, 4_102_444_799_999_000_000, -1_000_000])
    func timestampsMatchFoundation(nanos: Int64) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let millis = nanos >= 0 ? nanos / 1_000_000 : (nanos - 999_999) / 1_000_000
        let expected = formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
        #expect(UTCTimestamp.rfc3339(nanos) == expected)
    }

    @Test("a writer reused for payload after payload prints each time as rfc3339 does, same millisecond or not")
    func reusedWriterPrintsEveryTimestamp() {
        var generator = SystemRandomNumberGenerator()
        var writer = JSONWriter()
        var nanos: Int64 = 1_796_000_000_000_000_000
        for _ in 0..<5_000 {
            // Mostly steps within one millisecond or across a few, sometimes before 1970 or a jump.
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: nanos = -Int64.random(in: 0...2_000_000, using: &generator)
            case 1: nanos = Int64.random(in: 0...4_102_444_800_000_000_000, using: &generator)
            default: nanos += Int64.random(in: -1_000...2_500_000, using: &generator)
            }
            writer.reset()
            writer.timestamp(wallNanos: nanos)
            let printed = String(decoding: writer.bytes, as: UTF8.self)
            let expected = "\"\(UTCTimestamp.rfc3339(nanos))\""
            #expect(printed == expected, "at \(nanos) ns")
            if printed != expected { return }  // one failure says it; 5,000 would bury it
        }
    }
}
