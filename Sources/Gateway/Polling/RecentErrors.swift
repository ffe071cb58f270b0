import Modbus
import ModbusProtocol

/// Error counts of one device over the last minute, by class: what is going wrong now, as opposed to
/// `ErrorCounters`' totals since start. Six 10-second buckets in fixed storage; recording allocates nothing.
public struct RecentErrors: Sendable, Hashable {
    static let bucketNanos: Int64 = 10_000_000_000
    static let buckets = 6
    private var counts = [Int](repeating: 0, count: buckets * ErrorCounters.slotCount)
    /// Which 10-second period (monotonic time / 10 s) each bucket counts; -1 for none yet.
    private var periods = [Int64](repeating: -1, count: buckets)

    public init() {}

    public mutating func record(_ kind: ModbusError.Kind, nowMonoNanos: Int64) {
        let period = nowMonoNanos / Self.bucketNanos
        let bucket = Int(period % Int64(Self.buckets))
        if periods[bucket] != period {
            periods[bucket] = period
            for slot in 0..<ErrorCounters.slotCount { counts[bucket * ErrorCounters.slotCount + slot] = 0 }
        }
        counts[bucket * ErrorCounters.slotCount + ErrorCounters.slot(of: kind)] += 1
    }

    /// Non-zero counts of the last 50–60 seconds by class name, for reports.
    public func byName(nowMonoNanos: Int64) -> [String: Int] {
        let current = nowMonoNanos / Self.bucketNanos
        var names: [String: Int] = [:]
        for bucket in 0..<Self.buckets where periods[bucket] >= 0 && current - periods[bucket] < Int64(Self.buckets) {
            for slot in 0..<ErrorCounters.slotCount {
                let count = counts[bucket * ErrorCounters.slotCount + slot]
                if count > 0 { names[ErrorCounters.name(of: slot), default: 0] += count }
            }
        }
        return names
    }

    /// All errors of the last minute.
    public func total(nowMonoNanos: Int64) -> Int { byName(nowMonoNanos: nowMonoNanos).values.reduce(0, +) }
}
