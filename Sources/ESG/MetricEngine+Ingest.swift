import PlantModel

extension MetricEngine {
    /// Takes one sample: O(1) in the number of lines using its tag, allocation-free in steady state.
    /// Bad or NaN samples are never integrated and never move a counter; they leave a reason code.
    public mutating func ingest(_ sample: Sample) {
        for r in routes.row(sample.tag) {
            let target = Int(routes.targets[r])
            if target < 0 {
                marker(-target - 1, sample)
            } else if sample.quality == .bad || !sample.value.isFinite {
                // NAN only for a NaN the meter returned: a failed read (timeout, exception, …) carries a
                // NaN value too, and its own reason says what happened.
                var reasons = ReasonSet(sample.reason)
                if sample.quality != .bad && !sample.value.isFinite { reasons.insert(.notANumber) }
                note(target, reasons: reasons, at: sample.time)
            } else if kind[target] == .counter {
                counter(target, sample)
            } else if kind[target] == .level {
                level(target, sample)
            } else if kind[target] == .voltage {
                hold(target, sample)
            } else if kind[target] == .harvest {
                harvestCounted(target, sample)
            } else {
                powerSample(target, sample)
            }
        }
    }

    private mutating func marker(_ g: Int, _ sample: Sample) {
        guard sample.quality != .bad, sample.value.isFinite else { return }
        if counters[g].marker.isFinite && counters[g].marker != sample.value { counters[g].markerChanged = true }
        counters[g].marker = sample.value
    }

    private mutating func counter(_ g: Int, _ sample: Sample) {
        let c1 = sample.value * toBase[g]
        let t = sample.time
        guard c1 >= 0 else {
            note(g, reasons: .outOfRange, at: t)
            return
        }
        var state = counters[g]
        guard state.hasLast else {
            state.hasLast = true
            state.last = c1
            state.lastWallNanos = t.wallNanos
            state.lastMonoNanos = t.monoNanos
            state.markerChanged = false
            counters[g] = state
            firstReading(g, raw: c1, wall: t.wallNanos)
            return
        }
        let duration = state.spansRestart ? t.wallNanos - state.lastWallNanos : t.monoNanos - state.lastMonoNanos
        guard duration > 0 else { return }
        let step = state.step(
            to: c1, seconds: Double(duration) / 1e9, maxRatePerHour: maxRatePerHour[g], modulus: modulus[g],
            margin: settings.jumpMargin, jitterRelative: settings.floatJitterRelative)
        var reasons = step.reasons.union(ReasonSet(sample.reason))
        if state.spansRestart {
            reasons.insert(.restart)
        } else if Self.clockStepped(lastWall: state.lastWallNanos, lastMono: state.lastMonoNanos, now: t) {
            reasons.insert(.clockStep)
        }
        var floor = sample.quality
        if !step.reasons.subtracting(.rollover).isEmpty { floor = max(floor, .uncertain) }
        let keepHigher = step.accepted && step.delta == 0 && c1 < state.last && step.reasons.isEmpty
        let segment = CounterSegment(raw0: state.last, raw1: c1, amount: step.delta, newLast: keepHigher ? state.last : c1,
                                     breakKind: step.reasons.intersection(CounterSegment.breakKinds), modulus: modulus[g])
        spread(g, amount: step.delta, end: t, duration: duration, covered: step.accepted,
               estimated: state.spansRestart, reasons: reasons, floor: floor, segment: segment)
        if !keepHigher { state.last = c1 }
        state.lastWallNanos = t.wallNanos
        state.lastMonoNanos = t.monoNanos
        state.spansRestart = false
        state.markerChanged = false
        counters[g] = state
    }

    private mutating func powerSample(_ g: Int, _ sample: Sample) {
        let p = sample.value * toBase[g]
        var state = power[g]
        integrate(g, p, at: sample.time, reason: sample.reason, quality: sample.quality, state: &state)
        power[g] = state
        let v = Int(dcVoltageOf[g])
        if v >= 0 { dcPowerSample(current: g, voltage: v, amperes: p, sample) }
    }

    /// A DC current reading times the voltage held: DC power, integrated into the voltage input's totals.
    /// A voltage older than a power gap (or none yet) breaks the integral there, as a missing reading does.
    private mutating func dcPowerSample(current g: Int, voltage v: Int, amperes: Double, _ sample: Sample) {
        let volts = power[v]
        var state = dcPower[g]
        let age = sample.time.monoNanos - volts.lastMono
        if volts.hasLast, age >= 0, age <= settings.maxPowerGapNanos {
            integrate(v, amperes * volts.last / 1000, at: sample.time, reason: sample.reason,
                      quality: max(sample.quality, volts.lastQuality), state: &state)
        } else {
            state.hasLast = false
        }
        dcPower[g] = state
    }

    /// Keeps the last good reading of a gauge that is not integrated on its own (a DC voltage).
    private mutating func hold(_ g: Int, _ sample: Sample) {
        power[g].hasLast = true
        power[g].last = sample.value * toBase[g]
        power[g].lastMono = sample.time.monoNanos
        power[g].lastWall = sample.time.wallNanos
        power[g].lastQuality = sample.quality
    }

    /// Trapezoid from the last reading in `state` to `p` at `t`, into input `g`'s windows.
    private mutating func integrate(_ g: Int, _ p: Double, at t: Instant, reason: SampleReason, quality: Quality, state: inout PowerState) {
        if state.hasLast {
            let duration = t.monoNanos - state.lastMono
            guard duration > 0 else { return }
            if duration <= settings.maxPowerGapNanos {
                let kwh = (max(state.last, 0) + max(p, 0)) / 2 * Double(duration) / 3.6e12
                var reasons = ReasonSet(reason)
                if duration > settings.maxInterpolationGapNanos { reasons.insert(.gapFilled) }
                if Self.clockStepped(lastWall: state.lastWall, lastMono: state.lastMono, now: t) { reasons.insert(.clockStep) }
                spread(g, amount: kwh, end: t, duration: duration, covered: true, estimated: false,
                       reasons: reasons, floor: quality)
            }
        }
        state.hasLast = true
        state.last = p
        state.lastMono = t.monoNanos
        state.lastWall = t.wallNanos
        state.lastQuality = quality
    }

    /// §5.8: the wall clock moved against the monotonic one by more than a second since the last reading.
    /// Durations already come from the monotonic clock and windows are cut where the (corrected) wall
    /// clock of the newer reading says, so the step only needs to be flagged.
    @inline(__always)
    static func clockStepped(lastWall: Int64, lastMono: Int64, now: Instant) -> Bool {
        let drift = (now.wallNanos &- now.monoNanos) &- (lastWall &- lastMono)
        return drift > 1_000_000_000 || drift < -1_000_000_000
    }

    /// Puts an amount that accrued over [end − duration, end] into every window it overlaps, in
    /// proportion to time. Splits over segments longer than an interpolation gap, and any part that
    /// falls outside the open periods (already closed, or beyond the next), count as estimated.
    /// A counter step brings its `segment` (the readings at both ends); a power integral has none.
    mutating func spread(
        _ g: Int, amount: Double, end: Instant, duration: Int64, covered: Bool, estimated: Bool,
        reasons: ReasonSet, floor: Quality, segment: CounterSegment? = nil
    ) {
        let raw0 = segment?.raw0 ?? .nan, raw1 = segment?.raw1 ?? .nan
        let b = end.wallNanos
        let a = b - duration
        let length = Double(duration)
        for k in 0..<kindActive.count where kindActive[k] {
            let cur = 2 * k, next = cur + 1
            let s0 = spanStart[cur], e0 = spanEnd[cur], e1 = spanEnd[next]
            let late = max(0, min(b, s0) - a)
            let inCur = max(0, min(b, e0) - max(a, s0))
            let inNext = max(0, min(b, e1) - max(a, e0))
            let over = max(0, b - max(a, e1))
            let crosses = late > 0 || over > 0 || (a < e0 && b > e0)
            let split = estimated || (crosses && duration > settings.maxInterpolationGapNanos)
            let curAmount = amount * Double(late + inCur) / length
            let nextAmount = amount - curAmount
            if late + inCur > 0 {
                let est = split ? curAmount : amount * Double(late) / length
                add(cur, g, curAmount, est: est, covered: covered ? inCur : 0, reasons, floor, raw0, raw1)
                if let segment {
                    // A part before the window's start that no closed window took counts here, from `a`.
                    totals[cur * inputCount + g].trail.add(segment, from: a, to: b, windowStart: late > 0 ? a : s0, windowEnd: e0)
                }
            }
            if inNext + over > 0 {
                let est = split ? nextAmount : amount * Double(over) / length
                add(next, g, nextAmount, est: est, covered: covered ? inNext : 0, reasons, floor, raw0, raw1)
                if let segment {
                    totals[next * inputCount + g].trail.add(segment, from: a, to: b, windowStart: e0, windowEnd: over > 0 ? b : e1)
                }
            }
        }
        if harvestLineOf[g] >= 0 {  // never the harvest count itself: it is not integrated
            addToHarvest(line: Int(harvestLineOf[g]), g, amount: amount, from: a, to: b, covered: covered, estimated: estimated, reasons: reasons, floor: floor)
        }
        ring1m.add(g, amount: amount, estimated: estimated, covered: covered, from: end.monoNanos - duration, to: end.monoNanos, reasons: reasons, floor: floor)
        ring15m.add(g, amount: amount, estimated: estimated, covered: covered, from: end.monoNanos - duration, to: end.monoNanos, reasons: reasons, floor: floor)
    }

    @inline(__always)
    private mutating func add(
        _ slot: Int, _ g: Int, _ amount: Double, est: Double, covered: Int64, _ reasons: ReasonSet,
        _ floor: Quality, _ raw0: Double, _ raw1: Double
    ) {
        let i = slot * inputCount + g
        totals[i].sum += amount
        totals[i].estimated += est
        totals[i].coveredNanos += covered
        if floor > totals[i].floor { totals[i].floor = floor }
        totals[i].reasons.formUnion(reasons)
        if totals[i].rawStart.isNaN { totals[i].rawStart = raw0 }
        if !raw1.isNaN { totals[i].rawEnd = raw1 }
    }

    private mutating func firstReading(_ g: Int, raw: Double, wall: Int64) {
        for k in 0..<kindActive.count where kindActive[k] {
            let slot = wall < spanEnd[2 * k] ? 2 * k : 2 * k + 1
            let i = slot * inputCount + g
            if totals[i].rawStart.isNaN { totals[i].rawStart = raw }
            totals[i].rawEnd = raw
            totals[i].trail.firstReading(raw, at: wall)
        }
    }

    /// Leaves a reason code in the open periods and rolling windows that contain `time`.
    private mutating func note(_ g: Int, reasons: ReasonSet, at time: Instant) {
        let wall = time.wallNanos
        ring1m.note(g, reasons: reasons, at: time.monoNanos)
        ring15m.note(g, reasons: reasons, at: time.monoNanos)
        for k in 0..<kindActive.count where kindActive[k] {
            let slot = wall < spanEnd[2 * k] ? 2 * k : 2 * k + 1
            totals[slot * inputCount + g].reasons.formUnion(reasons)
        }
    }
}
