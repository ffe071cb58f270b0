import PlantModel

extension MetricEngine {
    /// A pond or tank level reading. A level is a state, not a flow: a period's storage change needs only
    /// the level at its two edges. Each edge is interpolated linearly between the good readings that
    /// straddle it when they are at most `maxPowerGapNanos` apart (the same bridging limit as power);
    /// otherwise the period runs from its first to its last reading inside it, and its coverage is
    /// that shorter span over the period length. O(kinds), allocation-free.
    mutating func level(_ g: Int, _ sample: Sample) {
        let reading = sample.value * toBase[g]
        let t = sample.time
        let last = power[g]
        let bridged = last.hasLast && t.monoNanos - last.lastMono <= settings.maxPowerGapNanos && t.wallNanos > last.lastWall
        var reasons = ReasonSet(sample.reason)
        if last.hasLast && Self.clockStepped(lastWall: last.lastWall, lastMono: last.lastMono, now: t) { reasons.insert(.clockStep) }
        for k in 0..<kindActive.count where kindActive[k] {
            levelEdges(slot: 2 * k, g, reading, at: t.wallNanos, last: last, bridged: bridged, reasons, sample.quality)
            levelEdges(slot: 2 * k + 1, g, reading, at: t.wallNanos, last: last, bridged: bridged, reasons, sample.quality)
        }
        var state = last
        state.hasLast = true
        state.last = reading
        state.lastMono = t.monoNanos
        state.lastWall = t.wallNanos
        state.lastQuality = sample.quality
        power[g] = state
    }

    /// Moves the start and end levels of one slot for a reading `level` at wall time `w1`.
    @inline(__always)
    private mutating func levelEdges(
        slot: Int, _ g: Int, _ level: Double, at w1: Int64, last: PowerState, bridged: Bool,
        _ reasons: ReasonSet, _ quality: Quality
    ) {
        let start = spanStart[slot], end = spanEnd[slot]
        guard w1 >= start else { return }
        let w0 = last.lastWall
        let i = slot * inputCount + g
        var t = totals[i]
        var floor = quality
        if t.rawStart.isNaN {
            if bridged && w0 < start {
                t.rawStart = Self.interpolate(last.last, w0, level, w1, at: start)
                t.levelStartNanos = start
                floor = max(floor, last.lastQuality)
            } else if w1 < end {
                t.rawStart = level
                t.levelStartNanos = w1
            } else {
                return
            }
        }
        if w1 < end {
            t.rawEnd = level
            t.coveredNanos = w1 - t.levelStartNanos
        } else if bridged && w0 < end {
            t.rawEnd = Self.interpolate(last.last, w0, level, w1, at: end)
            t.coveredNanos = end - t.levelStartNanos
            floor = max(floor, last.lastQuality)
        } else {
            // A reading after the period that cannot be bridged back to its end leaves the period alone.
            return
        }
        if floor > t.floor { t.floor = floor }
        t.reasons.formUnion(reasons)
        totals[i] = t
    }

    @inline(__always)
    static func interpolate(_ l0: Double, _ w0: Int64, _ l1: Double, _ w1: Int64, at edge: Int64) -> Double {
        l0 + (l1 - l0) * Double(edge - w0) / Double(w1 - w0)
    }
}
