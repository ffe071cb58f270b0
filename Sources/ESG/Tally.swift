import PlantModel

/// A total on its way to a metric: sums, estimated part, coverage and quality floor combine worst-of.
struct Tally: Sendable {
    var sum: Double = 0
    /// Estimated amount, and the gross magnitude it is a share of (so a difference keeps an honest share).
    var estimated: Double = 0
    var gross: Double = 0
    var coverage: Double = 1
    var floor: Quality = .good
    var reasons: ReasonSet = []

    /// The sum of `inputs` over a window `windowNanos` long.
    init(_ inputs: [Int], windowNanos: Int64, totals: (Int) -> InputTotals) {
        for g in inputs {
            let t = totals(g)
            sum += t.sum
            estimated += t.estimated
            gross += abs(t.sum)
            let cov = windowNanos > 0 ? min(1, Double(t.coveredNanos) / Double(windowNanos)) : 0
            coverage = min(coverage, cov)
            floor = max(floor, t.floor)
            reasons.formUnion(t.reasons)
        }
    }

    init() {}

    var estimatedShare: Double { gross > 0 ? min(1, estimated / gross) : 0 }

    func scaled(_ k: Double) -> Tally {
        var t = self
        t.sum *= k
        t.estimated *= abs(k)
        t.gross *= abs(k)
        return t
    }

    func combined(with other: Tally, sign: Double) -> Tally {
        var t = self
        t.sum += sign * other.sum
        t.estimated += other.estimated
        t.gross += other.gross
        t.coverage = min(coverage, other.coverage)
        t.floor = max(floor, other.floor)
        t.reasons.formUnion(other.reasons)
        return t
    }

    static func + (a: Tally, b: Tally) -> Tally { a.combined(with: b, sign: 1) }
    static func - (a: Tally, b: Tally) -> Tally { a.combined(with: b, sign: -1) }

    func value(_ settings: EngineSettings) -> MetricValue {
        let share = estimatedShare
        let q = max(floor, settings.quality(coverage: coverage, estimatedShare: share))
        return MetricValue(value: sum, quality: q, coverage: coverage, estimatedShare: share, reasons: reasons)
    }

    /// `scale × self / denominator`; suppressed (nil, bad) when the denominator is below `minimum` or not positive.
    func ratio(over denominator: Tally, minimum: Double, scale: Double = 1, _ settings: EngineSettings) -> MetricValue {
        let share = max(estimatedShare, denominator.estimatedShare)
        let cov = min(coverage, denominator.coverage)
        let reasons = reasons.union(denominator.reasons)
        guard denominator.sum > 0, denominator.sum >= minimum, sum.isFinite else {
            return MetricValue(value: nil, quality: .bad, coverage: cov, estimatedShare: share, reasons: reasons)
        }
        let q = max(max(floor, denominator.floor), settings.quality(coverage: cov, estimatedShare: share))
        return MetricValue(value: scale * sum / denominator.sum, quality: q, coverage: cov, estimatedShare: share, reasons: reasons)
    }
}
