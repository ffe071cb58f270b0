import Foundation
import Gateway
import Testing

@Suite("Latency histogram")
struct LatencyHistogramTests {
    /// Deterministic pseudo-random durations from 1 µs to ~100 ms, so a failure replays.
    static func durations(seed: UInt64, count: Int) -> [Int64] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let exponent = Double(state >> 11) / Double(1 << 53) * 5   // 10^0 … 10^5 µs
            return Int64(pow(10, exponent) * 1_000)
        }
    }

    @Test("quantiles are within the stated 6 % of the exact order statistic, and max is exact", arguments: [1, 2, 3])
    func quantilesAreWithinTheBucketError(seed: Int) {
        let values = Self.durations(seed: UInt64(seed), count: 5_000)
        var histogram = LatencyHistogram()
        for value in values { histogram.record(nanos: value) }
        let sorted = values.sorted()
        #expect(histogram.total == values.count)
        #expect(histogram.maxNanos == sorted.last)
        for q in [0.5, 0.9, 0.99, 0.999] {
            let exact = Double(sorted[Int((Double(sorted.count) * q).rounded(.up)) - 1])
            let reported = Double(histogram.quantile(q) ?? 0)
            #expect(reported >= exact && reported <= exact * 1.07 + 1_024, "q \(q): exact \(exact) ns, reported \(reported) ns")
        }
    }

    @Test("merging per-device histograms equals recording every value into one")
    func mergeEqualsRecordingEverything() {
        let parts = (1...4).map { Self.durations(seed: UInt64(10 + $0), count: 1_000) }
        var merged = LatencyHistogram()
        var whole = LatencyHistogram()
        for part in parts {
            var device = LatencyHistogram()
            for value in part {
                device.record(nanos: value)
                whole.record(nanos: value)
            }
            merged.merge(device)
        }
        #expect(merged == whole)
        #expect(merged.quantile(0.99) == whole.quantile(0.99))
        #expect(LatencyHistogram().quantile(0.99) == nil)
    }
}
