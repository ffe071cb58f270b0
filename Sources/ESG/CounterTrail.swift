import PlantModel

/// One counter reading (base units) and its wall time; `value` is NaN when there is none.
public struct CounterReading: Sendable, Hashable {
    public var value: Double = .nan
    public var wallNanos: Int64 = 0

    public init() {}

    public init(_ value: Double, at wallNanos: Int64) {
        self.value = value
        self.wallNanos = wallNanos
    }

    public var isKnown: Bool { !value.isNaN }

    /// Two unknown readings are equal (NaN is never equal to itself, which would make equal records differ).
    public static func == (a: CounterReading, b: CounterReading) -> Bool {
        a.isKnown ? a.value == b.value && a.wallNanos == b.wallNanos : !b.isKnown
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(isKnown ? value : 0)
        hasher.combine(isKnown ? wallNanos : 0)
    }
}

/// Where the counter did not simply run on between two readings: a rollover, a reset or meter swap,
/// a jump or a backwards step (the cases of `CounterState.step`).
public struct CounterBreak: Sendable, Hashable {
    /// ROLLOVER, RESET, JUMP or BACKWARDS.
    public var kind: ReasonSet = []
    /// The last reading before the break (the old meter's last, for a swap) and the first after it.
    public var before = CounterReading()
    public var after = CounterReading()
    /// What was counted between the two readings: `modulus − before + after` for a rollover, `after`
    /// (counted since the reset) for a reset or swap, 0 for a jump or backwards step.
    public var counted: Double = 0
    /// The modulus applied to a rollover (0 otherwise).
    public var modulus: Double = 0

    public init() {}

    /// How far the meter's reading moved beyond what was counted: `after − (before + counted)`.
    public var offset: Double { after.value - (before.value + counted) }
}

/// The audit trail of one counter over one window, so an auditor can recompute the window's total:
/// `counted = end − start − Σ break offsets`, with `start` and `end` interpolated at the window's
/// edges between the readings either side of each edge. A trivial value: the hot path never allocates.
public struct CounterTrail: Sendable, Hashable {
    /// Counter value at the window's start, interpolated between `startBefore` and `startAfter`; the first
    /// reading inside the window when none precedes the edge (then `startBefore` is unknown).
    public var start: Double = .nan
    public var startBefore = CounterReading()
    public var startAfter = CounterReading()
    /// Counter value at the window's end, interpolated between `endBefore` and `endAfter`; the last
    /// reading so far while no reading after the edge has arrived (then `endAfter` is unknown).
    public var end: Double = .nan
    public var endBefore = CounterReading()
    public var endAfter = CounterReading()
    /// The first and the last break whose later reading falls in the window (the same one when there is
    /// one), how many there were, and the sum of all their offsets.
    public var firstBreak = CounterBreak()
    public var lastBreak = CounterBreak()
    public var breakCount: Int32 = 0
    public var breakOffsets: Double = 0

    public init() {}

    /// Unknown edges (NaN) are equal, so two records with the same trail compare equal.
    public static func == (a: CounterTrail, b: CounterTrail) -> Bool {
        same(a.start, b.start) && a.startBefore == b.startBefore && a.startAfter == b.startAfter
            && same(a.end, b.end) && a.endBefore == b.endBefore && a.endAfter == b.endAfter
            && a.breakCount == b.breakCount && a.firstBreak == b.firstBreak && a.lastBreak == b.lastBreak
            && a.breakOffsets == b.breakOffsets
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(start.isNaN ? 0 : start)
        hasher.combine(end.isNaN ? 0 : end)
        hasher.combine(startBefore)
        hasher.combine(endAfter)
        hasher.combine(breakCount)
    }

    private static func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }

    /// Takes the very first reading of a counter (no segment before it), at `wall` inside the window.
    mutating func firstReading(_ value: Double, at wall: Int64) {
        if start.isNaN {
            start = value
            startAfter = CounterReading(value, at: wall)
        }
        end = value
        endBefore = CounterReading(value, at: wall)
        endAfter = CounterReading()
    }

    /// Takes one counter segment [`a`, `b`] that overlaps the window [`ws`, `we`]: moves the edges and
    /// keeps a break whose later reading falls in the window.
    @inline(__always)
    mutating func add(_ segment: CounterSegment, from a: Int64, to b: Int64, windowStart ws: Int64, windowEnd we: Int64) {
        let before = CounterReading(segment.raw0, at: a), after = CounterReading(segment.raw1, at: b)
        if start.isNaN {
            if a < ws && ws <= b {
                start = segment.along(ws, from: a, to: b)
                startBefore = before
                startAfter = after
            } else {
                start = segment.raw0
                startAfter = before
            }
        }
        if a < we && we <= b {
            end = segment.along(we, from: a, to: b)
            endBefore = before
            endAfter = after
        } else if b < we {
            end = segment.newLast
            endBefore = after
            endAfter = CounterReading()
        }
        guard !segment.breakKind.isEmpty, ws < b, b <= we else { return }
        var item = CounterBreak()
        item.kind = segment.breakKind
        item.before = before
        item.after = after
        item.counted = segment.amount
        item.modulus = segment.breakKind.contains(.rollover) ? segment.modulus : 0
        if breakCount == 0 { firstBreak = item }
        lastBreak = item
        breakCount += 1
        breakOffsets += segment.newLast - (segment.raw0 + segment.amount)
    }
}

/// One counter step on its way into the windows: the readings at both ends (base units), what it
/// counted, and where the counter stands after it.
struct CounterSegment: Sendable {
    var raw0: Double
    var raw1: Double
    var amount: Double
    /// The reading the next segment starts from (`raw1`, or `raw0` when a float-jitter step back is ignored).
    var newLast: Double
    /// The break this step is (ROLLOVER, RESET, JUMP, BACKWARDS), empty for a plain step.
    var breakKind: ReasonSet
    var modulus: Double

    /// The counted trajectory at `t`: `raw0` plus the share of `amount` accrued by then.
    @inline(__always)
    func along(_ t: Int64, from a: Int64, to b: Int64) -> Double {
        raw0 + amount * Double(t - a) / Double(b - a)
    }

    static let breakKinds: ReasonSet = [.rollover, .reset, .jump, .backwards]
}
