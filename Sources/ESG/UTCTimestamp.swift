/// RFC 3339 UTC timestamps from epoch nanoseconds without Foundation formatters.
public enum UTCTimestamp {
    /// `2026-11-27T09:00:00Z`, or with milliseconds `…:00.250Z` when they are not zero.
    public static func rfc3339(_ nanos: Int64) -> String {
        let millis = floorDiv(nanos, 1_000_000)
        let seconds = floorDiv(millis, 1000)
        let ms = millis - seconds * 1000
        let days = floorDiv(seconds, 86_400)
        let secOfDay = seconds - days * 86_400
        let (y, m, d) = civil(days)
        var s = "\(y)-\(pad2(m))-\(pad2(d))T\(pad2(secOfDay / 3600)):\(pad2(secOfDay / 60 % 60)):\(pad2(secOfDay % 60))"
        if ms != 0 { s += "." + (ms < 10 ? "00" : ms < 100 ? "0" : "") + "\(ms)" }
        return s + "Z"
    }

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

    private static func pad2(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
