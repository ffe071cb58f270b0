import PlantModel

/// A rolling window on monotonic time: a fixed ring of sub-bins per input, O(1) and allocation-free
/// once built (metrics.md §5.8).
struct RollingRing: Sendable {
    let binNanos: Int64
    let count: Int
    let inputs: Int
    private var stamps: ContiguousArray<Int64>
    private var cells: ContiguousArray<InputTotals>

    init(binNanos: Int64, count: Int, inputs: Int) {
        self.binNanos = binNanos
        self.count = count
        self.inputs = inputs
        stamps = ContiguousArray(repeating: .min, count: count)
        cells = ContiguousArray(repeating: InputTotals(), count: count * inputs)
    }

    var windowNanos: Int64 { binNanos * Int64(count) }

    /// Spreads `amount` over the monotonic span [a, b] in proportion to time.
    mutating func add(_ g: Int, amount: Double, estimated: Bool, covered: Bool, from a: Int64, to b: Int64) {
        let last = floorDiv(b, binNanos)
        if b <= a {
            put(g, bin: last, amount: amount, estimated: estimated, coveredNanos: 0)
            return
        }
        let first = max(floorDiv(a, binNanos), last - Int64(count) + 1)
        let length = Double(b - a)
        var k = first
        while k <= last {
            let overlap = min(b, (k + 1) * binNanos) - max(a, k * binNanos)
            if overlap > 0 {
                put(g, bin: k, amount: amount * Double(overlap) / length, estimated: estimated, coveredNanos: covered ? overlap : 0)
            }
            k += 1
        }
    }

    private mutating func put(_ g: Int, bin: Int64, amount: Double, estimated: Bool, coveredNanos: Int64) {
        let slot = Int(bin.remainderReportingOverflow(dividingBy: Int64(count)).partialValue + Int64(count)) % count
        if stamps[slot] > bin { return }
        if stamps[slot] != bin {
            stamps[slot] = bin
            let row = slot * inputs
            for i in row..<(row + inputs) { cells[i] = InputTotals() }
        }
        let i = slot * inputs + g
        cells[i].sum += amount
        if estimated { cells[i].estimated += amount }
        cells[i].coveredNanos += coveredNanos
    }

    /// Input `g`'s total over the window ending at monotonic `now`.
    func totals(_ g: Int, now: Int64) -> InputTotals {
        let nowBin = floorDiv(now, binNanos)
        var t = InputTotals()
        for slot in 0..<count where stamps[slot] > nowBin - Int64(count) && stamps[slot] <= nowBin {
            let c = cells[slot * inputs + g]
            t.sum += c.sum
            t.estimated += c.estimated
            t.coveredNanos += c.coveredNanos
        }
        return t
    }
}
