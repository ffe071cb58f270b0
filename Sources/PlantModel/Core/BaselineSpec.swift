/// A line's energy baseline (ISO 50006 EnB) as configured: `E_b = β0 + Σ βk·x_k` at day or shift
/// resolution, with each variable's reference-period range. Built from `lines[].baseline` (inline or
/// the model file `plantgate baseline fit` writes); the ESG engine judges each closed period against it.
public struct BaselineSpec: Sendable, Hashable {
    /// The period kind the baseline was fitted at and judges.
    public enum Period: String, Sendable, Hashable, CaseIterable { case day, shift }

    /// One relevant variable: a metric of the line's record (e.g. `product_t`), its coefficient and range.
    public struct Variable: Sendable, Hashable {
        public var name: String
        public var coefficient: Double
        public var minimum: Double
        public var maximum: Double

        public init(name: String, coefficient: Double, minimum: Double, maximum: Double) {
            self.name = name
            self.coefficient = coefficient
            self.minimum = minimum
            self.maximum = maximum
        }
    }

    public var period: Period
    /// The record metric the baseline predicts, e.g. `electricity_import_kwh`.
    public var energy: String
    public var intercept: Double
    public var variables: [Variable]

    public init(period: Period, energy: String, intercept: Double, variables: [Variable]) {
        self.period = period
        self.energy = energy
        self.intercept = intercept
        self.variables = variables
    }

    /// The metric energy baselines predict unless told otherwise.
    public static let defaultEnergy = "electricity_import_kwh"

    /// Identifies the model: a CUSUM is the running sum of savings against one model, so a changed
    /// model (or period, or energy metric) starts a fresh one.
    public var identity: String {
        ([period.rawValue, energy, "\(intercept)"] + variables.map { "\($0.name):\($0.coefficient):\($0.minimum):\($0.maximum)" })
            .joined(separator: "|")
    }
}
