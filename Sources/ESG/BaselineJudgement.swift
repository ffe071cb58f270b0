import PlantModel

/// A closed day or shift judged against its line's energy baseline: the `baseline` object of the record.
///
/// Withheld (expected, EnPI and savings nil, quality bad, CUSUM carried unchanged) when the energy or a
/// relevant variable of the period is bad or missing: a period nobody can judge adds nothing to the CUSUM.
public struct BaselineJudgement: Sendable, Hashable {
    /// E_b at the period's variables, kWh (the energy metric's unit).
    public var expected: Double?
    /// actual / expected; nil when withheld or expected ≤ 0.
    public var enpi: Double?
    /// expected − actual; positive: less energy than the baseline predicts.
    public var savings: Double?
    /// Σ savings of the judged periods since the baseline came into force, this one included.
    public var cusum: Double
    /// A variable lies outside the reference period's range: the expectation is extrapolated.
    public var extrapolated: Bool
    /// The worst quality of the energy and the variables.
    public var quality: Quality
    public var reasons: ReasonSet

    /// Judges `record` against `spec`, with `cusum` the sum so far; the new sum is in the result.
    static func judge(_ record: PeriodRecord, against spec: BaselineSpec, cusum: Double) -> BaselineJudgement {
        var quality = Quality.good
        var reasons: ReasonSet = []
        func take(_ id: String) -> Double? {
            guard let metric = record.metric(id) else {
                quality = .bad
                return nil
            }
            quality = max(quality, metric.quality)
            reasons.formUnion(metric.reasons)
            return metric.quality == .bad ? nil : metric.value
        }
        let actual = take(spec.energy)
        var expected: Double? = spec.intercept
        var extrapolated = false
        for variable in spec.variables {
            guard let x = take(variable.name), let e = expected else {
                expected = nil
                continue
            }
            expected = e + variable.coefficient * x
            if x < variable.minimum || x > variable.maximum { extrapolated = true }
        }
        guard let actual, let expected, quality != .bad else {
            return BaselineJudgement(expected: nil, enpi: nil, savings: nil, cusum: cusum, extrapolated: false, quality: .bad, reasons: reasons)
        }
        let savings = expected - actual
        return BaselineJudgement(expected: expected, enpi: expected > 0 ? actual / expected : nil, savings: savings,
                                 cusum: cusum + savings, extrapolated: extrapolated, quality: quality, reasons: reasons)
    }
}

/// A line's CUSUM as persisted: the sum and the baseline it was summed against.
public struct BaselineCusum: Sendable, Hashable, Codable {
    /// `BaselineSpec.identity` of the model.
    public var model: String
    public var cusum: Double

    public init(model: String, cusum: Double) {
        self.model = model
        self.cusum = cusum
    }
}
