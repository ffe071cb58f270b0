import PlantModel

extension MetricEngine {
    /// Where input `g`'s rolling window ends (monotonic ns): at its last reading while that is at most
    /// `liveLagNanos` old, so a poll not yet taken is not counted as missing; otherwise now, and the
    /// time since the last reading is missing data (coverage says so).
    func liveEnd(_ g: Int, now: Instant) -> Int64 {
        guard let last = lastReadingMono(g), last <= now.monoNanos, now.monoNanos - last <= settings.liveLagNanos else { return now.monoNanos }
        return last
    }

    /// Monotonic time of input `g`'s last reading in this process; nil before the first (or across a restart).
    func lastReadingMono(_ g: Int) -> Int64? {
        switch kind[g] {
        case .counter: counters[g].hasLast && !counters[g].spansRestart ? counters[g].lastMonoNanos : nil
        case .power, .level, .voltage: power[g].hasLast ? power[g].lastMono : nil
        case .harvest: nil
        }
    }

    private func emitRolling(_ ring: RollingRing, _ window: LiveWindow, line l: Int, now: Instant, _ live: (MetricUpdate) -> Void) {
        let layout = layouts[l]
        var end: Int64 = .min
        for g in layout.inputs where kind[g] != .level && kind[g] != .harvest { end = max(end, liveEnd(g, now: now)) }
        let wall = end == .min ? now.wallNanos : now.wallNanos - (now.monoNanos - end)
        deriver[l].derive(windowNanos: ring.windowNanos, totals: { ring.totals($0, end: liveEnd($0, now: now)) }) { metric, unit, value in
            live(MetricUpdate(line: layout.id, metric: metric, unit: unit, window: window, value: value, wallNanos: wall))
        }
    }

    func emitLive(_ now: Instant, _ live: (MetricUpdate) -> Void) {
        for (l, layout) in layouts.enumerated() {
            emitRolling(ring1m, .oneMinute, line: l, now: now, live)
            emitRolling(ring15m, .fifteenMinutes, line: l, now: now, live)
            guard !layout.power.isEmpty else { continue }
            var kw = 0.0
            var quality = Quality.good
            var newest: Int64 = .min
            for g in layout.power {
                let p = power[g]
                guard p.hasLast else { quality = .bad; continue }
                kw += p.last
                let stale = now.monoNanos - p.lastMono > 3 * settings.pollIntervalNanos
                quality = max(quality, stale ? max(p.lastQuality, .uncertain) : p.lastQuality)
                newest = max(newest, p.lastWall)
            }
            let value = MetricValue(value: quality == .bad ? nil : kw, quality: quality, coverage: quality == .bad ? 0 : 1, estimatedShare: 0)
            live(MetricUpdate(line: layout.id, metric: "power_kw", unit: "kW", window: .instant, value: value, wallNanos: newest == .min ? now.wallNanos : newest))
        }
    }
}
