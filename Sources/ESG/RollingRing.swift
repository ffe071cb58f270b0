import PlantModel

/// A rolling window on monotonic time: a fixed ring of sub-bins per input, O(1) and allocation-free
/// once built (metrics.md §5.8).
///
/// A window [end − W, end] takes the bins it overlaps: the bin holding `end` whole (nothing was read
/// after `end` in it when `end` is the input's last reading) and the bin holding `end − W` by the share
/// of it inside the window, which is linear interpolation of the counter at the window's start. So a
/// window is exactly the counter change over W, not W less the part of a bin that is still open; the
/// ring keeps a few bins more than the window needs for that start bin and for an input read late.
struct RollingRing: Sendable {
    let binNanos: Int64
    /// Bins in the window.
    let count: Int
    let inputs: Int
    /// Bins kept: the window's, one for its start edge and a few for an input whose window ends early.
    let slots: Int
    /// One input's share of one bin. `moment` is Σ amount × (position of its middle in the bin, 0…1),
    /// so the bin knows whether its amount leans to its start or end (a load ramping within the bin).
    struct Cell: Sendable {
        var sum: Double = 0
        var estimated: Double = 0
        var moment: Double = 0
        var coveredNanos: Int64 = 0
        var floor: Quality = .good
        var reasons: ReasonSet = []
    }

    private var stamps: ContiguousArray<Int64>
    private var cells: ContiguousArray<Cell>

    /// `lagNanos`: how long before now a window may end (an input's last reading may be that old).
    init(binNanos: Int64, count: Int, inputs: Int, lagNanos: Int64) {
        self.binNanos = binNanos
        self.count = count
        self.inputs = inputs
        slots = count + 2 + Int(min(Int64(count), (max(0, lagNanos) + binNanos - 1) / binNanos))
        stamps = ContiguousArray(repeating: .min, count: slots)
        cells = ContiguousArray(repeating: Cell(), count: slots * inputs)
    }

    var windowNanos: Int64 { binNanos * Int64(count) }

    /// Spreads `amount` over the monotonic span [a, b] in proportion to time.
    mutating func add(_ g: Int, amount: Double, estimated: Bool, covered: Bool, from a: Int64, to b: Int64,
                      reasons: ReasonSet, floor: Quality) {
        let last = floorDiv(b, binNanos)
        if b <= a {
            put(g, bin: last, amount: amount, estimated: estimated, coveredNanos: 0, reasons: reasons, floor: floor)
            return
        }
        let first = max(floorDiv(a, binNanos), last - Int64(slots) + 1)
        let length = Double(b - a)
        var k = first
        while k <= last {
            let from = max(a, k * binNanos), to = min(b, (k + 1) * binNanos)
            if to > from {
                let middle = Double((from - k * binNanos) + (to - k * binNanos)) / 2 / Double(binNanos)
                put(g, bin: k, amount: amount * Double(to - from) / length, estimated: estimated,
                    coveredNanos: covered ? to - from : 0, reasons: reasons, floor: floor, middle: middle)
            }
            k += 1
        }
    }

    /// Leaves reason codes (a failed read) in the bin holding monotonic `at`, counting nothing.
    mutating func note(_ g: Int, reasons: ReasonSet, at: Int64) {
        put(g, bin: floorDiv(at, binNanos), amount: 0, estimated: false, coveredNanos: 0, reasons: reasons, floor: .good)
    }

    private mutating func put(_ g: Int, bin: Int64, amount: Double, estimated: Bool, coveredNanos: Int64, reasons: ReasonSet,
                              floor: Quality, middle: Double = 1) {
        let slot = Int(bin.remainderReportingOverflow(dividingBy: Int64(slots)).partialValue + Int64(slots)) % slots
        if stamps[slot] > bin { return }
        if stamps[slot] != bin {
            stamps[slot] = bin
            let row = slot * inputs
            for i in row..<(row + inputs) { cells[i] = Cell() }
        }
        let i = slot * inputs + g
        cells[i].sum += amount
        cells[i].moment += amount * middle
        if estimated { cells[i].estimated += amount }
        cells[i].coveredNanos += coveredNanos
        if floor > cells[i].floor { cells[i].floor = floor }
        cells[i].reasons.formUnion(reasons)
    }

    /// Takes input `og`'s bins from `other` (the ring of the engine a reload replaces) as input `g`'s.
    mutating func adopt(_ g: Int, from other: RollingRing, input og: Int) {
        guard other.binNanos == binNanos else { return }
        for os in 0..<other.slots where other.stamps[os] != .min {
            let bin = other.stamps[os]
            let slot = Int(bin.remainderReportingOverflow(dividingBy: Int64(slots)).partialValue + Int64(slots)) % slots
            if stamps[slot] < bin {
                stamps[slot] = bin
                let row = slot * inputs
                for i in row..<(row + inputs) { cells[i] = Cell() }
            }
            if stamps[slot] == bin { cells[slot * inputs + g] = other.cells[os * other.inputs + og] }
        }
    }

    /// Input `g`'s total over the window that ends at monotonic `end`: the end bin whole, the start bin
    /// by the share of its amount inside the window (linear within the bin, from its moment).
    func totals(_ g: Int, end: Int64) -> InputTotals {
        let start = end - windowNanos
        let firstBin = floorDiv(start, binNanos)
        let lastBin = floorDiv(end, binNanos)
        var t = InputTotals()
        var covered = 0.0
        for slot in 0..<slots where stamps[slot] >= firstBin && stamps[slot] <= lastBin {
            let c = cells[slot * inputs + g]
            let bin = stamps[slot]
            let edge = bin == firstBin && bin != lastBin
            let timeShare = edge ? Double((bin + 1) * binNanos - start) / Double(binNanos) : 1
            let share = edge ? Self.share(after: 1 - timeShare, sum: c.sum, moment: c.moment) : 1
            t.sum += c.sum * share
            t.estimated += c.estimated * share
            covered += Double(c.coveredNanos) * timeShare
            if c.floor > t.floor { t.floor = c.floor }
            t.reasons.formUnion(c.reasons)
        }
        t.coveredNanos = Int64(covered.rounded())
        return t
    }

    /// The share of a bin's amount after position `s` (0…1) when its density is linear with the same
    /// total and mean position (`moment / sum`): (1 − s) + 6 (m − ½)(s − s²), kept within 0…1.
    static func share(after s: Double, sum: Double, moment: Double) -> Double {
        guard sum > 0 else { return 1 - s }
        let m = min(1, max(0, moment / sum))
        return min(1, max(0, (1 - s) + 6 * (m - 0.5) * (s - s * s)))
    }
}
