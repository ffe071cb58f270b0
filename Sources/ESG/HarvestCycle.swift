import PlantModel

/// One electrowinning line's harvest cycle under way: from the harvest that started it (a step of the
/// line's harvest count) to the next, with what its DC and cathode inputs counted meanwhile. Codable: it
/// is kept in the engine snapshot, so a restart mid-cycle loses only the readings of the downtime.
public struct HarvestCycle: Sendable, Hashable, Codable {
    /// The last harvest count read; nil before the first reading.
    public var count: Double?
    /// When the cycle started (wall ns of the reading that saw its harvest); nil while none was seen, as
    /// at a first start: a cycle already under way then has no known start and is not judged.
    public var startWallNanos: Int64?
    /// A harvest seen at this time (wall ns): the cycle up to it closes once the close delay has passed,
    /// so readings of the other inputs taken before it still count in it.
    public var closingAtWallNanos: Int64?
    /// The count at that harvest, for the record's label.
    public var closingCount: Double?
    /// Per input of the line (in the line's order): the cycle's totals, and what readings spanning the
    /// pending harvest brought to the cycle after it.
    public var totals: [InputTotals]
    public var next: [InputTotals]
    /// The last harvest record's seq.
    public var seq: UInt64 = 0

    init(inputs: Int) {
        totals = Array(repeating: InputTotals(), count: inputs)
        next = totals
    }

    /// Adds what input `offset` counted over [a, b] (wall ns) to the open cycle, split at a pending harvest.
    mutating func add(_ offset: Int, amount: Double, from a: Int64, to b: Int64, covered: Bool, estimated: Bool,
                      reasons: ReasonSet, floor: Quality) {
        guard let start = startWallNanos, b > start else { return }
        let close = closingAtWallNanos ?? .max
        let length = Double(b - a)
        let inThis = max(0, min(b, close) - max(a, start))
        let inNext = max(0, b - max(a, close))
        // A stretch from before the cycle's start (a reading that spans the harvest that started it) went to
        // the cycle before; only its share after the start counts here.
        let thisAmount = length > 0 ? amount * Double(inThis) / length : 0
        let nextAmount = length > 0 ? amount * Double(inNext) / length : 0
        if inThis > 0 { Self.add(&totals[offset], thisAmount, covered: covered ? inThis : 0, estimated: estimated, reasons, floor) }
        if inNext > 0 { Self.add(&next[offset], nextAmount, covered: covered ? inNext : 0, estimated: estimated, reasons, floor) }
    }

    private static func add(_ t: inout InputTotals, _ amount: Double, covered: Int64, estimated: Bool, _ reasons: ReasonSet, _ floor: Quality) {
        t.sum += amount
        if estimated { t.estimated += amount }
        t.coveredNanos += covered
        t.floor = max(t.floor, floor)
        t.reasons.formUnion(reasons)
    }

    /// The count read `value` at `wall`: a step starts the first judged cycle or sets the pending one's end
    /// (the caller has ended any cycle still pending).
    mutating func counted(_ value: Double, at wall: Int64) {
        defer { count = value }
        guard let last = count, value != last else { return }
        if value < last {
            // The count was reset (a PLC restart): where the cycle under way stands is unknown, as at a first
            // start; the next step starts a cycle that can be judged.
            startWallNanos = nil
            totals = Array(repeating: InputTotals(), count: totals.count)
        } else if startWallNanos == nil {
            startWallNanos = wall
        } else {
            closingAtWallNanos = wall
            closingCount = value
        }
    }

    /// Ends the pending cycle: the next one starts at its harvest with what readings across it brought.
    mutating func rotate() {
        startWallNanos = closingAtWallNanos
        closingAtWallNanos = nil
        closingCount = nil
        totals = next
        next = Array(repeating: InputTotals(), count: totals.count)
    }
}
