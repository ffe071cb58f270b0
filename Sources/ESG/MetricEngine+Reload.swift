import PlantModel

extension MetricEngine {
    /// Takes over the state of `old`, the engine of the configuration a reload replaces, in the same
    /// process (same monotonic clock). Every input that keeps its key keeps its counter, last reading,
    /// period totals and rolling windows exactly; every line keeps its seqs, peaks and open periods,
    /// which end where they were going to (nothing closes early). A line whose inputs, factors or
    /// calendar changed, or that is new, gets reason CONFIG and `revision` on the records of the
    /// periods that contain `now`. Returns the ids of those lines.
    @discardableResult
    public mutating func adopt(_ old: MetricEngine, now: Instant, revision: String?) throws(ESGConfigurationError) -> [String] {
        let fresh = spans
        try restore(from: old.snapshot(at: now))
        for k in kindActive.indices where kindActive[k] && !(k < old.kindActive.count && old.kindActive[k]) {
            spans[2 * k] = fresh[2 * k]
            spans[2 * k + 1] = fresh[2 * k + 1]
        }
        spanStart = ContiguousArray(spans.map(\.start))
        spanEnd = ContiguousArray(spans.map(\.end))
        for (g, key) in inputKeys.enumerated() {
            guard let og = old.inputKeys.firstIndex(of: key) else { continue }
            counters[g] = old.counters[og]
            power[g] = old.power[og]
            dcPower[g] = old.dcPower[og]
            ring1m.adopt(g, from: old.ring1m, input: og)
            ring15m.adopt(g, from: old.ring15m, input: og)
        }
        lastLiveMono = old.lastLiveMono
        configRevision = revision
        let sameCalendar = site.timeZone == old.site.timeZone && site.demandIntervalMinutes == old.site.demandIntervalMinutes
            && site.shiftStarts.sorted() == old.site.shiftStarts.sorted()
        var changed: [String] = []
        for (l, layout) in layouts.enumerated() {
            let kept = sameCalendar && old.layouts.firstIndex { $0.id == layout.id }.map { sameFigures(line: l, as: old, line: $0) } == true
            guard !kept else { continue }
            changed.append(layout.id)
            // The period open at the reload: `next` when `current` has ended and only waits out the close delay.
            for k in kindActive.indices where kindActive[k] {
                let slot = now.wallNanos < spanEnd[2 * k] ? 2 * k : 2 * k + 1
                lineReasons[slot * layouts.count + l].insert(.config)
            }
        }
        return changed
    }

    /// Whether line `l` computes its figures as line `ol` of `old` does: the same inputs (tag paths, roles,
    /// scales, counter settings, fuels, strapping), product basis and factors.
    func sameFigures(line l: Int, as old: MetricEngine, line ol: Int) -> Bool {
        lineDefinitions[l] == old.lineDefinitions[ol] && recordFactors[l] == old.recordFactors[ol]
            && site.factors.grid == old.site.factors.grid && site.factors.market == old.site.factors.market
    }

    /// `line` without its tag indexes, which move when other devices are added or removed.
    static func definitionWithoutTags(_ line: LineDefinition) -> LineDefinition {
        var line = line
        for i in line.inputs.indices {
            line.inputs[i].tag = -1
            if line.inputs[i].counter?.resetMarker != nil { line.inputs[i].counter?.resetMarker = -1 }
        }
        return line
    }
}
