/// Cumulative quantities as the integral of rates, memoised at one-minute checkpoints.
///
/// The value at any time is the checkpoint before it plus Simpson's rule over the rest in ≤ 1 s steps,
/// so a counter is a function of simulated time alone (not of when it was polled). Rates are per hour;
/// time is in seconds. Checkpoints older than two simulated days are dropped.
struct RateIntegral: Sendable {
    static let cell = 60.0
    static let step = 1.0
    static let keptCells = 2 * 24 * 60

    let channels: Int
    private var firstCell = 0
    private var checkpoints: [[Double]]

    init(channels: Int) {
        self.channels = channels
        checkpoints = [[Double](repeating: 0, count: channels)]
    }

    /// Extends the checkpoints up to `t`.
    mutating func extend(to t: Double, rates: (Double) -> [Double]) {
        let target = Int((max(0, t) / Self.cell).rounded(.down))
        while firstCell + checkpoints.count - 1 < target {
            let cell = firstCell + checkpoints.count - 1
            let start = Double(cell) * Self.cell
            let last = checkpoints[checkpoints.count - 1]
            let added = Self.simpson(from: start, to: start + Self.cell, channels: channels, rates: rates)
            checkpoints.append(zip(last, added).map { $0 + $1 })
        }
        if checkpoints.count > Self.keptCells + 64 {
            let drop = checkpoints.count - Self.keptCells
            checkpoints.removeFirst(drop)
            firstCell += drop
        }
    }

    /// The cumulative quantities at `t` (clamped to the oldest checkpoint kept).
    func cumulative(at t: Double, rates: (Double) -> [Double]) -> [Double] {
        let t = max(t, Double(firstCell) * Self.cell)
        let cell = min(Int((t / Self.cell).rounded(.down)), firstCell + checkpoints.count - 1)
        let start = Double(cell) * Self.cell
        let base = checkpoints[cell - firstCell]
        guard t > start else { return base }
        let rest = Self.simpson(from: start, to: t, channels: channels, rates: rates)
        return zip(base, rest).map { $0 + $1 }
    }

    static func simpson(from a: Double, to b: Double, channels: Int, rates: (Double) -> [Double]) -> [Double] {
        let steps = max(1, Int(((b - a) / step).rounded(.up)))
        let h = (b - a) / Double(steps)
        var sum = [Double](repeating: 0, count: channels)
        var left = rates(a)
        for index in 0..<steps {
            let x0 = a + Double(index) * h
            let middle = rates(x0 + h / 2)
            let right = rates(index == steps - 1 ? b : x0 + h)
            for c in 0..<channels { sum[c] += (left[c] + 4 * middle[c] + right[c]) * h / 6 }
            left = right
        }
        return sum.map { $0 / 3600 }
    }
}
