import PlantModel

extension LineMetrics {
    /// `water_storage_change_m3` (every closed period) and `water_balance_closure` (day and month) of
    /// metrics.md §2.3 and §5.5. Evaporation and entrainment estimates are not configurable yet, so
    /// they count as 0: closure = (withdrawal − discharge − ΔS) / withdrawal, a fraction (unit 1).
    func deriveStorage(
        period: PeriodKind, windowNanos: Int64, totals: (Int) -> InputTotals, tally: ([Int]) -> Tally,
        emit: (String, String, MetricValue) -> Void
    ) {
        var change = Tally()
        for (n, storage) in layout.storages.enumerated() {
            let part = Self.storageChange(storage, windowNanos: windowNanos, totals: totals(storage.input))
            change = n == 0 ? part : change + part
        }
        emit("water_storage_change_m3", "m3", change.value(settings))
        guard period == .day || period == .month else { return }
        let withdrawal = tally(layout.withdrawal)
        let unexplained = withdrawal - tally(layout.discharge) - change
        emit("water_balance_closure", "1", unexplained.ratio(over: withdrawal, minimum: 0, settings))
    }

    /// V(level at end) − V(level at start) of one storage. Coverage is the span between the two
    /// levels over the window; a level outside the table is clamped to its end and flagged.
    static func storageChange(_ storage: LineLayout.Storage, windowNanos: Int64, totals t: InputTotals) -> Tally {
        var part = Tally()
        part.floor = t.floor
        part.reasons = t.reasons
        guard let table = storage.table, t.rawStart.isFinite, t.rawEnd.isFinite, windowNanos > 0 else {
            part.coverage = 0
            part.floor = .bad
            return part
        }
        let start = table.volume(atLevel: t.rawStart)
        let end = table.volume(atLevel: t.rawEnd)
        part.sum = end.volume - start.volume
        part.gross = abs(part.sum)
        part.coverage = min(1, max(0, Double(t.coveredNanos) / Double(windowNanos)))
        if start.outside || end.outside {
            part.floor = max(part.floor, .uncertain)
            part.reasons.insert(.outOfRange)
        }
        return part
    }
}
