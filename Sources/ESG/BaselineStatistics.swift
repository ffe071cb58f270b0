/// How well an energy baseline fits its reference period (ASHRAE Guideline 14 and ISO 50006 figures).
public struct BaselineStatistics: Sendable, Hashable, Codable {
    /// Observations (days or shifts) in the fit.
    public var n: Int
    /// Parameters: intercept + relevant variables.
    public var parameters: Int
    public var rSquared: Double
    /// R² adjusted for the parameters: 1 − (1 − R²)(n − 1)/(n − p).
    public var adjustedRSquared: Double
    /// Residual standard error √(SSE/(n − p)), in the energy unit.
    public var rmse: Double
    /// CV(RMSE) = √(SSE/(n − p)) / ȳ, a fraction (0.15 = 15 %).
    public var cvRMSE: Double
    /// NMBE = Σ(y − ŷ) / ((n − p)·ȳ), a fraction; 0 for an OLS fit with intercept on its own data.
    public var nmbe: Double
    /// Mean energy of the reference period.
    public var meanEnergy: Double

    enum CodingKeys: String, CodingKey {
        case n, parameters, rSquared = "r2", adjustedRSquared = "r2_adj", rmse, cvRMSE = "cv_rmse", nmbe, meanEnergy = "mean_energy"
    }
}
