import PlantModel

extension MetricEngine {
    /// When `advance` next has work that no sample brings: a period, demand block or harvest cycle to
    /// close, or the live values to hand out. Plant wall nanoseconds; `now` or earlier when work is due
    /// already. The daemon's engine thread sleeps until then (or until samples come), not in slices.
    public func nextDueWallNanos(now: Instant) -> Int64 {
        if !pendingHarvests.isEmpty { return now.wallNanos }
        var due = Int64.max
        for k in Self.closingOrder where kindActive[k] {
            due = min(due, spanEnd[2 * k] &+ closeDelay(k))
        }
        for cycle in harvests {
            if let at = cycle?.closingAtWallNanos { due = min(due, at &+ settings.closeDelayNanos) }
        }
        if !layouts.isEmpty {
            let liveDue = lastLiveMono == .min ? now.monoNanos : lastLiveMono &+ settings.liveIntervalNanos
            due = min(due, now.wallNanos &+ max(0, liveDue &- now.monoNanos))
        }
        return due
    }

    /// How long after its end a period of kind `k` closes (`advance` and `nextDueWallNanos` agree on it).
    func closeDelay(_ k: Int) -> Int64 {
        let short = k == Self.quarterKind || k == Self.blockKind
        return short ? min(settings.closeDelayNanos, (spanEnd[2 * k] - spanStart[2 * k]) / 4) : settings.closeDelayNanos
    }
}
