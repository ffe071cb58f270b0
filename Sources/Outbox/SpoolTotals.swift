/// How much the spool holds, per message class.
public struct SpoolTotals: Sendable, Hashable {
    /// Rows per class.
    public var count: [MessageClass: Int] = [:]
    /// Accounted bytes per class (payload + topic + row overhead).
    public var bytes: [MessageClass: Int] = [:]

    /// Empty totals.
    public init() {}

    /// Rows in the spool.
    public var totalCount: Int { count.values.reduce(0, +) }
    /// Accounted bytes in the spool, the figure `OutboxLimits.maxBytes` bounds.
    public var totalBytes: Int { bytes.values.reduce(0, +) }

    mutating func add(_ messageClass: MessageClass, count rows: Int, bytes size: Int) {
        count[messageClass, default: 0] += rows
        bytes[messageClass, default: 0] += size
    }
}
