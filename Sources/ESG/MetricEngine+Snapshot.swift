import PlantModel

extension MetricEngine {
    /// The state to persist (open periods, counters, peaks, seqs). Take it as often as the store likes.
    public func snapshot(at now: Instant) -> EngineSnapshot {
        EngineSnapshot(
            version: 3, siteID: site.id, takenAt: now, inputKeys: inputKeys, counters: Array(counters),
            spans: spans, totals: Array(totals), lineIDs: layouts.map(\.id), peaks: peaks.map { $0.isNaN ? nil : $0 },
            peakBlocks: Array(peakBlocks), seqs: Array(seqs), lineReasons: Array(lineReasons), configRevision: configRevision,
            baselineCusums: baselines.contains { $0 != nil } ? baselineCusums : nil,
            harvests: harvests.contains { $0 != nil } ? harvests : nil)
    }

    /// Continues from a snapshot taken before a restart. Inputs and lines are matched by key, so a
    /// reloaded configuration keeps what still matches. The first counter reading afterwards spans
    /// the downtime (wall-clock Δt, since the monotonic clock restarts with the box); it is accepted
    /// if plausible and spread, as estimated, over the windows it covers. Call `advance(to:)` right
    /// after restoring: periods that ended during the downtime close then, with their real coverage.
    public mutating func restore(from snapshot: EngineSnapshot) throws(ESGConfigurationError) {
        // Version 1 knew the first four kinds, version 2 added month, version 3 the 15-min record; kinds
        // only ever get appended, so the slots a snapshot has are the first ones here and a kind it
        // lacks starts fresh (its coverage says so).
        let oldKinds = snapshot.spans.count / 2
        let oldSlots = 2 * oldKinds
        let kindsByVersion = [1: 4, 2: 5, 3: Self.kinds.count]
        guard kindsByVersion[snapshot.version] == oldKinds,
            snapshot.spans.count == oldSlots,
            snapshot.totals.count == oldSlots * snapshot.inputKeys.count,
            snapshot.counters.count == snapshot.inputKeys.count,
            snapshot.peaks.count == oldSlots * snapshot.lineIDs.count,
            snapshot.peakBlocks.count == snapshot.peaks.count,
            snapshot.seqs.count == oldKinds * snapshot.lineIDs.count
        else {
            throw ESGConfigurationError("engine snapshot of site '\(snapshot.siteID)' is malformed or from another version; delete it to start fresh")
        }
        let oldInputs = snapshot.inputKeys.count
        for (g, key) in inputKeys.enumerated() {
            guard let old = snapshot.inputKeys.firstIndex(of: key) else { continue }
            var state = snapshot.counters[old]
            state.spansRestart = state.hasLast
            state.markerChanged = false
            counters[g] = state
            for s in 0..<oldSlots { totals[s * inputCount + g] = snapshot.totals[s * oldInputs + old] }
        }
        power = ContiguousArray(repeating: PowerState(), count: inputCount)
        let oldLines = snapshot.lineIDs.count
        for (l, layout) in layouts.enumerated() {
            guard let old = snapshot.lineIDs.firstIndex(of: layout.id) else { continue }
            for s in 0..<oldSlots {
                peaks[s * layouts.count + l] = snapshot.peaks[s * oldLines + old] ?? .nan
                peakBlocks[s * layouts.count + l] = snapshot.peakBlocks[s * oldLines + old]
                if let marks = snapshot.lineReasons, marks.count == snapshot.peaks.count { lineReasons[s * layouts.count + l] = marks[s * oldLines + old] }
            }
            for k in 0..<oldKinds { seqs[k * layouts.count + l] = snapshot.seqs[k * oldLines + old] }
            restoreCusum(line: l, from: snapshot, old: old)
            // A harvest cycle continues where the line's inputs are still the same ones, in the same order.
            if harvests[l] != nil, let saved = snapshot.harvests, saved.count == oldLines, let cycle = saved[old],
               cycle.totals.count == layout.inputs.count, cycle.next.count == layout.inputs.count,
               snapshot.inputKeys.filter({ $0.hasPrefix(layout.id + "|") }) == Array(inputKeys[layout.inputs]) {
                harvests[l] = cycle
            }
        }
        for (k, active) in kindActive.enumerated() where active && k < oldKinds {
            spans[2 * k] = snapshot.spans[2 * k]
            spans[2 * k + 1] = snapshot.spans[2 * k + 1]
        }
        spanStart = ContiguousArray(spans.map(\.start))
        spanEnd = ContiguousArray(spans.map(\.end))
        ring1m = RollingRing(binNanos: ring1m.binNanos, count: ring1m.count, inputs: inputCount, lagNanos: settings.liveLagNanos)
        ring15m = RollingRing(binNanos: ring15m.binNanos, count: ring15m.count, inputs: inputCount, lagNanos: settings.liveLagNanos)
        lastLiveMono = .min
        configRevision = snapshot.configRevision
    }
}
