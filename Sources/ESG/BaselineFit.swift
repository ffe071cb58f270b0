/// Fits a `BaselineModel` to reference-period observations by ordinary least squares.
public enum BaselineFit {
    /// One day (or shift) of the reference period: its energy and relevant-variable values.
    public struct Observation: Sendable, Hashable {
        public var energy: Double
        public var variables: [Double]

        public init(energy: Double, variables: [Double]) {
            self.energy = energy
            self.variables = variables
        }
    }

    public enum FitError: Error, Sendable, Hashable, CustomStringConvertible {
        /// Fewer observations than parameters + 1 (no residual degree of freedom).
        case tooFewObservations(have: Int, need: Int)
        /// An observation with a different number of variables than named, or a non-finite value.
        case malformed(index: Int)
        /// The variables are constant or collinear over the period: the coefficients are not identifiable.
        case collinear
        /// The mean energy is 0: CV(RMSE) and NMBE are undefined.
        case zeroMeanEnergy

        public var description: String {
            switch self {
            case .tooFewObservations(let have, let need):
                "\(have) observations for a model that needs at least \(need): choose a longer reference period or fewer variables"
            case .malformed(let index): "observation \(index + 1) has a missing or non-finite value"
            case .collinear: "the relevant variables are constant or move together over the reference period; drop one"
            case .zeroMeanEnergy: "the reference period used no energy"
            }
        }
    }

    public static func fit(_ observations: [Observation], variables names: [String]) throws(FitError) -> BaselineModel {
        let p = names.count + 1
        let n = observations.count
        guard n > p else { throw .tooFewObservations(have: n, need: p + 1) }
        for (index, o) in observations.enumerated()
        where o.variables.count != names.count || !o.energy.isFinite || o.variables.contains(where: { !$0.isFinite }) {
            throw .malformed(index: index)
        }
        let x = observations.map { [1] + $0.variables }
        let y = observations.map(\.energy)
        guard let inverse = NormalEquations.inverseGram(x) else { throw .collinear }
        var xty = [Double](repeating: 0, count: p)
        for (row, value) in zip(x, y) { for j in 0..<p { xty[j] += row[j] * value } }
        let beta = (0..<p).map { i in (0..<p).reduce(0.0) { $0 + inverse[i][$1] * xty[$1] } }

        let mean = y.reduce(0, +) / Double(n)
        guard mean != 0 else { throw .zeroMeanEnergy }
        var sse = 0.0, sst = 0.0, bias = 0.0
        for (row, value) in zip(x, y) {
            let residual = value - zip(row, beta).reduce(0) { $0 + $1.0 * $1.1 }
            sse += residual * residual
            sst += (value - mean) * (value - mean)
            bias += residual
        }
        let dof = Double(n - p)
        let variance = sse / dof
        let r2 = sst > 0 ? 1 - sse / sst : 1
        let statistics = BaselineStatistics(n: n, parameters: p, rSquared: r2, adjustedRSquared: 1 - (1 - r2) * Double(n - 1) / dof,
                                            rmse: variance.squareRoot(), cvRMSE: variance.squareRoot() / mean,
                                            nmbe: bias / (dof * mean), meanEnergy: mean)
        let errors = (0..<p).map { (variance * inverse[$0][$0]).squareRoot() }
        let variables = names.enumerated().map { k, name in
            let column = observations.map { $0.variables[k] }
            return BaselineModel.Variable(name: name, coefficient: beta[k + 1], standardError: errors[k + 1],
                                          minimum: column.min() ?? 0, maximum: column.max() ?? 0)
        }
        return BaselineModel(intercept: beta[0], interceptStandardError: errors[0], variables: variables, statistics: statistics)
    }
}
