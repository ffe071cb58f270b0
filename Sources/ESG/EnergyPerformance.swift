/// A closed period judged against an energy baseline (ISO 50006 normalisation).
public struct EnergyPerformance: Sendable, Hashable, Codable {
    /// Baseline energy at the period's relevant variables.
    public var expected: Double
    public var actual: Double
    /// EnPI = actual / expected (below 1: better than the baseline); nil when nothing was expected.
    public var enpi: Double?
    /// Savings = expected − actual (positive: less energy than the baseline predicts).
    public var savings: Double
    /// Running sum of savings since the baseline period ended, this period included.
    public var cusum: Double
    /// The period's variables lie outside the baseline's range.
    public var extrapolated: Bool

    enum CodingKeys: String, CodingKey { case expected, actual, enpi, savings, cusum, extrapolated }
}

/// Judges consecutive closed periods against one baseline, carrying the CUSUM of savings.
public struct PerformanceTracker: Sendable, Hashable {
    public let model: BaselineModel
    /// CUSUM so far (restored from state after a restart).
    public private(set) var cusum: Double

    public init(model: BaselineModel, cusum: Double = 0) {
        self.model = model
        self.cusum = cusum
    }

    /// The next closed period: its actual energy and relevant variables (in the model's order).
    public mutating func close(actual: Double, variables x: [Double]) -> EnergyPerformance {
        let expected = model.expected(x)
        let savings = expected - actual
        cusum += savings
        return EnergyPerformance(expected: expected, actual: actual, enpi: expected > 0 ? actual / expected : nil,
                                 savings: savings, cusum: cusum, extrapolated: model.isExtrapolated(x))
    }
}
