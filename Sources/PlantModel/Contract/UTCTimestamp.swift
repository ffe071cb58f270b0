/// The one timestamp format of every topic and report: UTC RFC 3339 with milliseconds, always
/// (`2026-11-27T09:00:00.000Z`), from epoch nanoseconds, without Foundation formatters.
///
/// Every published time goes through here (period `start`/`end`, values' `t`, status, health, the
/// control socket), so a subscriber parses one shape everywhere.
public enum UTCTimestamp {
    /// `2026-11-27T09:15:00.250Z`.
    public static func rfc3339(_ nanos: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(nanos, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the 24 bytes of `rfc3339(nanos)` to `bytes`; allocation-free once `bytes` has room.
    /// Sub-millisecond parts are truncated toward the past (times before 1970 too).
    public static func append(_ nanos: Int64, to bytes: inout [UInt8]) {
        let millis = self.millis(nanos)
        let seconds = floorDiv(millis, 1000)
        let ms = Int(millis - seconds * 1000)
        let days = floorDiv(seconds, 86_400)
        let secOfDay = Int(seconds - days * 86_400)
        let (y, m, d) = civil(days)
        appendDigits(Int(y), 4, &bytes); bytes.append(UInt8(ascii: "-"))
        appendDigits(Int(m), 2, &bytes); bytes.append(UInt8(ascii: "-"))
        appendDigits(Int(d), 2, &bytes); bytes.append(UInt8(ascii: "T"))
        appendDigits(secOfDay / 3600, 2, &bytes); bytes.append(UInt8(ascii: ":"))
        appendDigits(secOfDay / 60 % 60, 2, &bytes); bytes.append(UInt8(ascii: ":"))
        appendDigits(secOfDay % 60, 2, &bytes); bytes.append(UInt8(ascii: "."))
        appendDigits(ms, 3, &bytes); bytes.append(UInt8(ascii: "Z"))
    }

    /// The millisecond `nanos` falls in: what `append` prints, so equal results print the same text.
    static func millis(_ nanos: Int64) -> Int64 { floorDiv(nanos, 1_000_000) }

    /// Days since 1970-01-01 to the proleptic Gregorian date (H. Hinnant's civil_from_days).
    static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Division rounding toward negative infinity (times before 1970 belong to the earlier second).
    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func appendDigits(_ value: Int, _ width: Int, _ bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
