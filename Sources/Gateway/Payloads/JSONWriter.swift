import PlantModel

/// Appends JSON to a reusable byte buffer: the one place payload bytes are made, with no Foundation
/// and, once the buffer has grown, no allocation.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// A right-sized copy of the bytes, for a message that outlives the next `reset()`. Handing out `bytes`
    /// itself makes every queued message keep the writer's whole reserved buffer (≥ 512 bytes for a
    /// ~150-byte payload; a massif profile found 2.8 MB of them in a 15,000-register plant's outbox).
    public var payload: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            initialized = bytes.withUnsafeBufferPointer { buffer.initialize(fromContentsOf: $0) }
        }
    }

    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    public mutating func beginObject() { separator(); bytes.append(UInt8(ascii: "{")); needsComma = false }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }

    public mutating func key(_ name: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    public mutating func key(_ name: String) {
        separator()
        needsComma = false
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0..<0x20:
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex(byte >> 4), hex(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// A value already written as JSON (e.g. a precomputed object), copied as is.
    public mutating func fragment(_ json: [UInt8]) {
        separator()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    /// A number, or `null` when it is not finite (JSON has no NaN).
    public mutating func number(_ value: Double?) {
        separator()
        guard let value, value.isFinite else {
            appendLiteral("null")
            needsComma = true
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            appendInteger(Int64(value))
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
        needsComma = true
    }

    public mutating func integer(_ value: Int64) {
        separator()
        appendInteger(value)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separator()
        appendLiteral(value ? "true" : "false")
        needsComma = true
    }

    /// UTC RFC 3339 with milliseconds, e.g. `2026-11-27T09:15:00.250Z`.
    public mutating func timestamp(wallNanos: Int64) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        RFC3339.append(wallNanos: wallNanos, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func appendLiteral(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func separator() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(raw[index]) }
        }
    }

    private func hex(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 48 + nibble : 87 + nibble }
}

/// UTC timestamps without Foundation's formatters (civil-from-days, Howard Hinnant's algorithm).
public enum RFC3339 {
    public static func append(wallNanos: Int64, to bytes: inout [UInt8]) {
        let millisTotal = wallNanos >= 0 ? wallNanos / 1_000_000 : (wallNanos - 999_999) / 1_000_000
        let secondsTotal = millisTotal >= 0 ? millisTotal / 1000 : (millisTotal - 999) / 1000
        let millis = Int(millisTotal - secondsTotal * 1000)
        let days = secondsTotal >= 0 ? secondsTotal / 86_400 : (secondsTotal - 86_399) / 86_400
        let secondOfDay = Int(secondsTotal - days * 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400 + (month <= 2 ? 1 : 0))
        appendDigits(year, 4, &bytes); bytes.append(UInt8(ascii: "-"))
        appendDigits(month, 2, &bytes); bytes.append(UInt8(ascii: "-"))
        appendDigits(day, 2, &bytes); bytes.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, 2, &bytes); bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, 2, &bytes); bytes.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, 2, &bytes); bytes.append(UInt8(ascii: "."))
        appendDigits(millis, 3, &bytes); bytes.append(UInt8(ascii: "Z"))
    }

    public static func string(wallNanos: Int64) -> String {
        var bytes: [UInt8] = []
        append(wallNanos: wallNanos, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendDigits(_ value: Int, _ width: Int, _ bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
