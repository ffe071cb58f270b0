/// Solves the ordinary least-squares normal equations XᵀX·β = Xᵀy and returns (XᵀX)⁻¹ for the standard
/// errors. Gauss–Jordan with partial pivoting on the small p×p system (p = variables + 1).
enum NormalEquations {
    /// (XᵀX)⁻¹ of rows `x` (each with a leading 1), or nil when the variables are collinear or constant.
    static func inverseGram(_ x: [[Double]]) -> [[Double]]? {
        guard let p = x.first?.count else { return nil }
        var a = [[Double]](repeating: [Double](repeating: 0, count: 2 * p), count: p)
        for row in x {
            for i in 0..<p { for j in 0..<p { a[i][j] += row[i] * row[j] } }
        }
        for i in 0..<p { a[i][p + i] = 1 }
        let scale = (0..<p).map { a[$0][$0] }.max() ?? 1
        for column in 0..<p {
            guard let pivot = (column..<p).max(by: { abs(a[$0][column]) < abs(a[$1][column]) }),
                  abs(a[pivot][column]) > 1e-12 * max(scale, 1) else { return nil }
            a.swapAt(column, pivot)
            let divisor = a[column][column]
            for j in 0..<(2 * p) { a[column][j] /= divisor }
            for i in 0..<p where i != column {
                let factor = a[i][column]
                guard factor != 0 else { continue }
                for j in 0..<(2 * p) { a[i][j] -= factor * a[column][j] }
            }
        }
        return a.map { Array($0[p...]) }
    }
}
