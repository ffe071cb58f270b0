/// A fixed-size log-linear histogram of durations (1 µs … ~18 min, ≤ 6 % relative error), allocation-free
/// to record, for request latency and start-time jitter.
public struct LatencyHistogram: Sendable, Hashable {
    /// 16 linear sub-buckets for each power of two from 2^10 ns (≈1 µs) up.
    private static let subBuckets = 16
    private static let octaves = 27
    private var counts: [UInt32]
    public private(set) var total: Int = 0
    public private(set) var maxNanos: Int64 = 0

    public init() {
        counts = [UInt32](repeating: 0, count: Self.subBuckets * Self.octaves)
    }

    public mutating func record(nanos: Int64) {
        let value = max(0, nanos)
        counts[Self.bucket(of: value)] &+= 1
        total += 1
        if value > maxNanos { maxNanos = value }
    }

    public mutating func reset() {
        for index in counts.indices { counts[index] = 0 }
        total = 0
        maxNanos = 0
    }

    /// Adds another histogram's counts, for a figure over several devices.
    public mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        total += other.total
        maxNanos = max(maxNanos, other.maxNanos)
    }

    /// The value at quantile `q` (0…1), in nanoseconds (upper edge of its bucket); nil when empty.
    public func quantile(_ q: Double) -> Int64? {
        guard total > 0 else { return nil }
        let rank = max(1, Int((Double(total) * q).rounded(.up)))
        var seen = 0
        for (index, count) in counts.enumerated() {
            seen += Int(count)
            if seen >= rank { return min(Self.upperEdge(of: index), maxNanos) }
        }
        return maxNanos
    }

    private static func bucket(of nanos: Int64) -> Int {
        let scaled = UInt64(nanos >> 10)
        guard scaled >= UInt64(subBuckets) else { return Int(scaled) }
        let octave = 63 - scaled.leadingZeroBitCount - 4
        let sub = Int(scaled >> UInt64(octave)) - subBuckets
        return min(subBuckets * octaves - 1, (octave + 1) * subBuckets + sub)
    }

    private static func upperEdge(of index: Int) -> Int64 {
        if index < subBuckets { return Int64(index + 1) << 10 }
        let octave = index / subBuckets - 1
        let sub = index % subBuckets
        return Int64(subBuckets + sub + 1) << Int64(octave + 10)
    }
}
