import ESG

/// The old name of the one timestamp formatter, kept so code written against it still builds; it
/// forwards to `UTCTimestamp` (always with milliseconds). Use `UTCTimestamp` in new code.
@available(*, deprecated, message: "use UTCTimestamp, the one RFC 3339 formatter")
public enum RFC3339 {
    public static func append(wallNanos: Int64, to bytes: inout [UInt8]) { UTCTimestamp.append(wallNanos, to: &bytes) }

    public static func string(wallNanos: Int64) -> String { UTCTimestamp.rfc3339(wallNanos) }
}
