import PlantModel

extension MetricEngine {
    /// The open 15-min, hour, shift, day and month periods of every line so far, as records (`seq` is the
    /// one the closed record will carry), and each line's running demand block (`period` `.demandBlock`,
    /// metrics `electricity_import_kwh` and `demand_kw_15m` so far). Coverage is over the time from the
    /// period's start to where the line's data reaches (`asOfWallNanos`), so a period 5 minutes old and fully read is `good`.
    /// The totals are the ones the closed record is made of: at the close they are equal.
    public func periodsToDate(now: Instant, _ body: (PeriodRecord, _ asOfWallNanos: Int64) -> Void) {
        for (l, layout) in layouts.enumerated() {
            let asOf = dataTime(line: l, now: now)
            for k in Self.closingOrder where kindActive[k] {
                let slot = 2 * k
                let span = spans[slot]
                guard asOf > span.start else { continue }
                let end = min(asOf, span.end)
                if k == Self.blockKind {
                    guard !layout.importSource.isEmpty else { continue }
                    body(runningBlock(line: l, span: span, asOf: end), end)
                } else {
                    body(record(line: l, slot: slot, kind: Self.kinds[k], seq: seqs[k * layouts.count + l] + 1, asOf: end), end)
                }
            }
        }
    }

    /// The wall time line `l`'s data reaches: the oldest last reading among its inputs read within
    /// `liveLagNanos`; now when none is.
    func dataTime(line l: Int, now: Instant) -> Int64 {
        var oldest: Int64 = .max
        for g in layouts[l].inputs {
            if let last = lastReadingMono(g), now.monoNanos - last <= settings.liveLagNanos { oldest = min(oldest, last) }
        }
        return oldest == .max ? now.wallNanos : now.wallNanos - (now.monoNanos - oldest)
    }

    /// The demand block under way: its energy so far, and that energy over the hours elapsed (the block's
    /// demand if the load stays as it was). Never the closed block's value: that comes at its close.
    private func runningBlock(line l: Int, span: PeriodSpan, asOf: Int64) -> PeriodRecord {
        let slot = 2 * Self.blockKind
        let layout = layouts[l]
        let elapsed = asOf - span.start
        let energy = Tally(layout.importSource, windowNanos: elapsed) { totals[slot * inputCount + $0] }
        var demand = energy.ratio(over: Tally(hours: Double(elapsed) / 3.6e12), minimum: 0, settings)
        if demand.quality == .bad { demand.value = nil }
        var reasons: ReasonSet = []
        for g in layout.inputs { reasons.formUnion(totals[slot * inputCount + g].reasons) }
        return PeriodRecord(
            line: layout.id, period: .demandBlock, span: span, seq: 0,
            metrics: [.init(id: "electricity_import_kwh", unit: "kWh", value: energy.value(settings)),
                      .init(id: "demand_kw_15m", unit: "kW", value: demand)],
            reasons: reasons, counters: [], factors: [], gwpSet: site.factors.gwpSet, productBasis: layout.product.name)
    }
}
