import PlantModel

/// Electrowinning per harvest cycle (metrics.md §2.6): a line with `electrowinning.harvests` closes a
/// `harvest` record each time its harvest count steps, with the cycle's charge, DC energy, cathode, current
/// efficiency and kWh per tonne, judged like a day's.
extension MetricEngine {
    /// Per input: the line whose harvest cycle it belongs to (its harvest count, DC and cathode inputs), −1
    /// otherwise.
    static func harvestLines(_ layouts: [LineLayout], count: Int) -> ContiguousArray<Int32> {
        var lines = ContiguousArray<Int32>(repeating: -1, count: count)
        for (l, layout) in layouts.enumerated() where !layout.harvests.isEmpty {
            for g in layout.harvests + layout.dcCurrent + layout.dcVoltage + layout.dcEnergy + layout.cathodes { lines[g] = Int32(l) }
        }
        return lines
    }

    /// A reading of a line's harvest count (input `g`).
    mutating func harvestCounted(_ g: Int, _ sample: Sample) {
        let l = Int(harvestLineOf[g])
        guard sample.quality != .bad, sample.value.isFinite, l >= 0, var cycle = harvests[l] else { return }
        if cycle.closingAtWallNanos != nil, sample.value > (cycle.count ?? 0) {
            // Another harvest before the last one closed (harvests seconds apart): that cycle ends now.
            pendingHarvests.append(endCycle(line: l, &cycle))
        }
        cycle.counted(sample.value, at: sample.time.wallNanos)
        harvests[l] = cycle
    }

    @inline(__always)
    mutating func addToHarvest(line l: Int, _ g: Int, amount: Double, from a: Int64, to b: Int64, covered: Bool, estimated: Bool,
                               reasons: ReasonSet, floor: Quality) {
        harvests[l]?.add(g - layouts[l].inputs.lowerBound, amount: amount, from: a, to: b, covered: covered, estimated: estimated,
                         reasons: reasons, floor: floor)
    }

    /// Closes every harvest cycle whose harvest is at least the close delay old at `now`.
    mutating func closeHarvests(now: Int64, closed: (PeriodRecord) -> Void) {
        pendingHarvests.forEach(closed)
        pendingHarvests.removeAll()
        for l in harvests.indices {
            guard var cycle = harvests[l], let at = cycle.closingAtWallNanos, now >= at &+ settings.closeDelayNanos else { continue }
            closed(endCycle(line: l, &cycle))
            harvests[l] = cycle
        }
    }

    /// The record of line `l`'s pending cycle; the next cycle starts at its harvest.
    private func endCycle(line l: Int, _ cycle: inout HarvestCycle) -> PeriodRecord {
        let record = harvestRecord(line: l, cycle)
        cycle.seq += 1
        cycle.rotate()
        return record
    }

    private func harvestRecord(line l: Int, _ cycle: HarvestCycle) -> PeriodRecord {
        let layout = layouts[l]
        let start = cycle.startWallNanos ?? 0, end = cycle.closingAtWallNanos ?? start
        var metrics: [PeriodRecord.Metric] = []
        let first = layout.inputs.lowerBound
        deriver[l].deriveElectrowinning(tally: { Tally($0, windowNanos: end - start) { cycle.totals[$0 - first] } }) { id, unit, value in
            metrics.append(.init(id: id, unit: unit, value: value))
        }
        let reasons = cycle.totals.reduce(into: ReasonSet()) { $0.formUnion($1.reasons) }
        let label = "harvest " + JSONWriter.numberText(cycle.closingCount ?? 0)
        return PeriodRecord(
            line: layout.id, period: .harvest, span: PeriodSpan(start: start, end: end, label: label), seq: cycle.seq + 1,
            metrics: metrics, reasons: reasons, counters: [], factors: [], gwpSet: site.factors.gwpSet, productBasis: layout.product.name)
    }
}
