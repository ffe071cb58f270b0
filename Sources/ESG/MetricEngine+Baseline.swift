import PlantModel

extension MetricEngine {
    /// Refuses a baseline the engine could never judge: a variable or energy that is not a metric of
    /// the line's records, or shift records on a site without shifts.
    func checkBaselines() throws(ESGConfigurationError) {
        for (l, spec) in baselines.enumerated() {
            guard let spec else { continue }
            let id = layouts[l].id
            if spec.period == .shift && !calendar.hasShifts {
                throw ESGConfigurationError("line \(id): the baseline judges shift records, but site.shifts is empty; add the shift starts or use period: day")
            }
            var ids: [String] = []
            deriver[l].derive(windowNanos: 3_600_000_000_000, period: .day, edges: (0, 3_600_000_000_000), totals: { _ in InputTotals() }) { metric, _, _ in
                ids.append(metric)
            }
            for name in [spec.energy] + spec.variables.map(\.name) where !ids.contains(name) {
                let hint = ids.joined(separator: ", ")
                throw ESGConfigurationError("line \(id): the baseline names \(name), which is not a metric of this line's records; use one of \(hint)")
            }
        }
    }

    /// The CUSUM of each line's baseline, in line order (nil for lines without one), for the snapshot.
    var baselineCusums: [BaselineCusum?] {
        zip(baselines, cusums).map { spec, sum in spec.map { BaselineCusum(model: $0.identity, cusum: sum) } }
    }

    /// Takes over the CUSUM of line `old` of a snapshot when it was summed against the same baseline.
    mutating func restoreCusum(line l: Int, from snapshot: EngineSnapshot, old: Int) {
        guard let spec = baselines[l], let saved = snapshot.baselineCusums, old < saved.count, let entry = saved[old],
            entry.model == spec.identity
        else { return }
        cusums[l] = entry.cusum
    }
}
