/// Acceptance limits for an energy baseline model.
///
/// Defaults: ASHRAE Guideline 14-2014 (Measurement of Energy, Demand, and Water Savings) calibration limits,
/// CV(RMSE) ≤ 15 % and |NMBE| ≤ 5 % for monthly data, ≤ 30 % and ≤ 10 % for hourly data; day or shift models
/// are held to the hourly limits unless configured tighter. R² ≥ 0.5 is the practical floor of the US DOE
/// EnPI tool for ISO 50006 regression baselines.
public struct BaselineThresholds: Sendable, Hashable, Codable {
    public var maxCVRMSE: Double
    public var maxAbsNMBE: Double
    public var minRSquared: Double

    enum CodingKeys: String, CodingKey { case maxCVRMSE = "max_cv_rmse", maxAbsNMBE = "max_abs_nmbe", minRSquared = "min_r2" }

    public init(maxCVRMSE: Double, maxAbsNMBE: Double, minRSquared: Double = 0.5) {
        self.maxCVRMSE = maxCVRMSE
        self.maxAbsNMBE = maxAbsNMBE
        self.minRSquared = minRSquared
    }

    /// ASHRAE Guideline 14 monthly limits.
    public static let monthly = BaselineThresholds(maxCVRMSE: 0.15, maxAbsNMBE: 0.05)
    /// ASHRAE Guideline 14 hourly limits, used for day and shift models.
    public static let hourly = BaselineThresholds(maxCVRMSE: 0.30, maxAbsNMBE: 0.10)

    /// Every limit the statistics break, in words; empty when the model is acceptable.
    public func violations(of statistics: BaselineStatistics) -> [String] {
        var found: [String] = []
        if !(statistics.cvRMSE <= maxCVRMSE) { found.append("CV(RMSE) \(percent(statistics.cvRMSE)) above \(percent(maxCVRMSE))") }
        if !(abs(statistics.nmbe) <= maxAbsNMBE) { found.append("|NMBE| \(percent(abs(statistics.nmbe))) above \(percent(maxAbsNMBE))") }
        if !(statistics.rSquared >= minRSquared) { found.append("R² \(statistics.rSquared) below \(minRSquared)") }
        return found
    }

    private func percent(_ fraction: Double) -> String { "\((fraction * 1000).rounded() / 10) %" }
}
