/// Appends JSON to a reusable byte buffer: the one place MQTT payload bytes are made (values, metrics,
/// health, status, period records and their totals so far), with no Foundation and, once the buffer
/// has grown, no allocation. Strings escape `"`, `\\`, `\n`, `\r`, `\t` and other controls as `\u00XX`.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false
    /// The last timestamp's text and its millisecond: a poll's values share their read's time, so a
    /// writer that makes one payload after another formats it once.
    private var timestampMillis = Int64.min
    private var timestampText: [UInt8] = []

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

    public mutating func beginArray() { separator(); bytes.append(UInt8(ascii: "[")); needsComma = false }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    /// `["A","B"]`.
    public mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
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
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [92, UInt8(ascii: "t")])
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

    /// `value` as this writer spells it (integers without a fraction), for text that quotes a figure.
    public static func numberText(_ value: Double) -> String {
        var writer = JSONWriter()
        writer.number(value)
        return String(decoding: writer.bytes, as: UTF8.self)
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
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            appendDigits(Int64(value).magnitude)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
        needsComma = true
    }

    public mutating func integer(_ value: Int64) {
        separator()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude)
        needsComma = true
    }

    public mutating func integer(unsigned value: UInt64) {
        separator()
        appendDigits(value)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separator()
        appendLiteral(value ? "true" : "false")
        needsComma = true
    }

    /// UTC RFC 3339 with milliseconds, e.g. `2026-11-27T09:15:00.250Z` (the one format: `UTCTimestamp`).
    public mutating func timestamp(wallNanos: Int64) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        let millis = UTCTimestamp.millis(wallNanos)
        if millis != timestampMillis {
            timestampText.removeAll(keepingCapacity: true)
            UTCTimestamp.append(wallNanos, to: &timestampText)
            timestampMillis = millis
        }
        bytes.append(contentsOf: timestampText)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func appendLiteral(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func separator() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendDigits(_ value: UInt64) {
        var magnitude = value
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
