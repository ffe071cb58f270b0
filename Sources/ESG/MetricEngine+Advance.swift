import PlantModel

extension MetricEngine {
    /// Moves the engine's clock to `now`: closes demand blocks (handing `demand_kw_15m` to `live`),
    /// closes 15-min, hour, shift, day and month periods whose end (plus the close delay) has passed (handing each
    /// `PeriodRecord` to `closed`), and every `liveIntervalNanos` hands out the rolling 1 min and
    /// 15 min values and the instantaneous power. Closures are called synchronously, never stored.
    public mutating func advance(to now: Instant, live: (MetricUpdate) -> Void, closed: (PeriodRecord) -> Void) {
        closeHarvests(now: now.wallNanos, closed: closed)
        for k in Self.closingOrder where kindActive[k] {
            let delay = closeDelay(k)
            while now.wallNanos >= spanEnd[2 * k] &+ delay {
                if k == Self.blockKind { closeBlock(live: live) } else { closePeriod(k, closed: closed) }
                rotate(k)
            }
        }
        if lastLiveMono == .min || now.monoNanos - lastLiveMono >= settings.liveIntervalNanos {
            lastLiveMono = now.monoNanos
            emitLive(now, live)
        }
    }

    /// `advance(to:)` collecting the closed periods (live values dropped); for tests and tools.
    public mutating func advance(to now: Instant) -> [PeriodRecord] {
        var records: [PeriodRecord] = []
        advance(to: now, live: { _ in }, closed: { records.append($0) })
        return records
    }

    private mutating func rotate(_ k: Int) {
        let cur = 2 * k, next = cur + 1
        let n = inputCount
        for g in 0..<n {
            totals[cur * n + g] = totals[next * n + g]
            totals[next * n + g] = InputTotals()
        }
        let lines = layouts.count
        for l in 0..<lines {
            peaks[cur * lines + l] = peaks[next * lines + l]
            peakBlocks[cur * lines + l] = peakBlocks[next * lines + l]
            peaks[next * lines + l] = .nan
            peakBlocks[next * lines + l] = 0
            lineReasons[cur * lines + l] = lineReasons[next * lines + l]
            lineReasons[next * lines + l] = []
        }
        spans[cur] = spans[next]
        spans[next] = calendar.span(Self.kinds[k], after: spans[cur])
        spanStart[cur] = spans[cur].start
        spanEnd[cur] = spans[cur].end
        spanStart[next] = spans[next].start
        spanEnd[next] = spans[next].end
    }

    private mutating func closeBlock(live: (MetricUpdate) -> Void) {
        let slot = 2 * Self.blockKind
        let span = spans[slot]
        let n = inputCount
        let window = span.end - span.start
        for (l, layout) in layouts.enumerated() where !layout.importSource.isEmpty {
            let energy = Tally(layout.importSource, windowNanos: window) { totals[slot * n + $0] }
            var demand = energy.ratio(over: Tally(hours: Double(window) / 3.6e12), minimum: 0, settings)
            // §5.3: a block is good only when both edges were interpolated, i.e. it is fully covered.
            if energy.coverage < 1 { demand.quality = max(demand.quality, .uncertain) }
            // A block seen for a few minutes (a start mid-block) is not a demand: say nothing rather than a low figure.
            if demand.quality == .bad { demand.value = nil }
            live(MetricUpdate(line: layout.id, metric: "demand_kw_15m", unit: "kW", window: .demandBlock, value: demand, wallNanos: span.end))
            guard let kw = demand.value,
                demand.quality == .good || (demand.quality == .uncertain && settings.peakIncludesUncertainBlocks)
            else { continue }
            for s in spans.indices where s / 2 != Self.blockKind && kindActive[s / 2] && spanStart[s] <= span.start && span.start < spanEnd[s] {
                let i = s * layouts.count + l
                if peaks[i].isNaN || kw > peaks[i] { peaks[i] = kw }
                peakBlocks[i] += 1
            }
        }
    }

    private mutating func closePeriod(_ k: Int, closed: (PeriodRecord) -> Void) {
        let slot = 2 * k
        for l in layouts.indices {
            seqs[k * layouts.count + l] += 1
            var closing = record(line: l, slot: slot, kind: Self.kinds[k], seq: seqs[k * layouts.count + l])
            if let spec = baselines[l], spec.period.rawValue == closing.period.rawValue {
                let judgement = BaselineJudgement.judge(closing, against: spec, cusum: cusums[l])
                cusums[l] = judgement.cusum
                closing.baseline = judgement
            }
            closed(closing)
        }
    }

    /// The record of `slot` for line `l`; `asOf` (wall ns) makes it the period so far: coverage is then
    /// over the time from the start to `asOf`, not over the whole period.
    func record(line l: Int, slot: Int, kind: PeriodKind, seq: UInt64, asOf: Int64? = nil) -> PeriodRecord {
        let layout = layouts[l]
        let span = spans[slot]
        let n = inputCount
        var metrics: [PeriodRecord.Metric] = []
        let window = (asOf ?? span.end) - span.start
        deriver[l].derive(windowNanos: window, period: kind, edges: (span.start, asOf ?? span.end), totals: { totals[slot * n + $0] }) { id, unit, value in
            metrics.append(.init(id: id, unit: unit, value: value))
        }
        if kind != .hour && kind != .quarterHour && !layout.importSource.isEmpty {
            let i = slot * layouts.count + l
            let block = Int64(calendar.blockMinutes) * 60_000_000_000
            let blocks = Double(peakBlocks[i]) * Double(block)
            // So far, only the blocks that have closed count: the one under way is not missing.
            let closedSpan = asOf == nil ? window : window / block * block
            let cov = closedSpan > 0 ? min(1, blocks / Double(closedSpan)) : 0
            let peak = peaks[i]
            let value = peak.isNaN
                ? MetricValue(value: nil, quality: .bad, coverage: cov, estimatedShare: 0)
                : MetricValue(value: peak, quality: settings.quality(coverage: cov, estimatedShare: 0), coverage: cov, estimatedShare: 0)
            metrics.append(.init(id: "peak_demand_kw", unit: "kW", value: value))
        }
        var reasons = lineReasons[slot * layouts.count + l]
        var counters: [PeriodRecord.CounterTrace] = []
        for g in layout.inputs {
            let t = totals[slot * n + g]
            reasons.formUnion(t.reasons)
            if self.kind[g] == .counter {
                counters.append(.init(tagPath: tagPaths[g], unit: units[g], rawStart: t.trail.start.isNaN ? nil : t.trail.start,
                                      rawEnd: t.trail.end.isNaN ? nil : t.trail.end, reasons: t.reasons, counted: t.sum, trail: t.trail))
            } else if self.kind[g] == .level {
                counters.append(.init(tagPath: tagPaths[g], unit: units[g], rawStart: t.rawStart.isNaN ? nil : t.rawStart,
                                      rawEnd: t.rawEnd.isNaN ? nil : t.rawEnd, reasons: t.reasons))
            }
        }
        return PeriodRecord(
            line: layout.id, period: kind, span: span, seq: seq, metrics: metrics, reasons: reasons,
            counters: counters, factors: recordFactors[l], gwpSet: site.factors.gwpSet, productBasis: layout.product.name,
            configRevision: reasons.contains(.config) ? configRevision : nil)
    }
}

extension Tally {
    /// A fixed, fully covered denominator (a window's length in hours).
    init(hours: Double) {
        self.init()
        sum = hours
        gross = hours
    }
}
