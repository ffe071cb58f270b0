/// An energy baseline (ISO 50006 EnB, IPMVP Option C style): `E_b = β0 + Σ βk·x_k`, fitted by ordinary least
/// squares over a reference period, with the statistics that say how far to trust it.
public struct BaselineModel: Sendable, Hashable, Codable {
    /// One relevant variable: its name, coefficient and the range seen in the reference period.
    public struct Variable: Sendable, Hashable, Codable {
        public var name: String
        public var coefficient: Double
        public var standardError: Double
        public var minimum: Double
        public var maximum: Double

        enum CodingKeys: String, CodingKey { case name, coefficient, standardError = "std_error", minimum = "min", maximum = "max" }
    }

    public var intercept: Double
    public var interceptStandardError: Double
    public var variables: [Variable]
    public var statistics: BaselineStatistics

    enum CodingKeys: String, CodingKey {
        case intercept, interceptStandardError = "intercept_std_error", variables, statistics
    }

    /// Expected energy at these relevant-variable values (in `variables` order).
    public func expected(_ x: [Double]) -> Double {
        zip(variables, x).reduce(intercept) { $0 + $1.0.coefficient * $1.1 }
    }

    /// Whether a period's variables lie outside the reference period's range: its expected energy is an
    /// extrapolation of the model, to be read with care.
    public func isExtrapolated(_ x: [Double]) -> Bool {
        zip(variables, x).contains { $1 < $0.minimum || $1 > $0.maximum }
    }
}
