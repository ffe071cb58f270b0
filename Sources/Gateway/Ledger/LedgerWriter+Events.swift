import ESG
import Ledger
import Logging
import PlantModel

/// The events a closed record reports and the factor changes of a start or reload.
extension LedgerWriter {
    /// Compares the factors `plan` uses with those noted at the last start or reload, appends a
    /// `factor-change` per difference, and notes the new ones.
    public func noteFactors(of plan: PlantPlan) {
        noteFactors(FactorsInForce(plan: plan))
    }

    func noteFactors(_ current: FactorsInForce) {
        do {
            let noted = try store.factorsInForce()
            for event in noted?.changes(to: current) ?? [] { append(event) }
            if noted != current { try store.noteFactors(current) }
        } catch {
            logger.error("ledger: cannot compare the factors in force with \(store.path): \(error)")
        }
    }

    /// The counter corrections, clock steps and coverage gap a closed record carries, as ledger events.
    static func events(in record: PeriodRecord) -> [LedgerEvent] {
        let meterReasons: [(ReasonSet, String)] = [(.rollover, "ROLLOVER"), (.reset, "RESET"), (.jump, "JUMP"), (.backwards, "BACKWARDS")]
        var events: [LedgerEvent] = []
        for counter in record.counters {
            for (reason, code) in meterReasons where counter.reasons.contains(reason) {
                events.append(.meter(reason: code, line: record.line, period: record.period.rawValue, label: record.span.label,
                                     tag: counter.tagPath, unit: counter.unit, before: counter.rawStart, after: counter.rawEnd))
            }
        }
        if record.reasons.contains(.clockStep) {
            events.append(.clockStep(line: record.line, period: record.period.rawValue, label: record.span.label))
        }
        if let gap = coverageGap(in: record) { events.append(.coverageGap(gap)) }
        return events
    }

    /// The metrics of `record` below 100 % coverage and its inputs' trouble; nil when it covers all of the period.
    static func coverageGap(in record: PeriodRecord) -> LedgerCoverageGap? {
        let short = record.metrics.filter { $0.value.coverage < 1 }
        guard !short.isEmpty else { return nil }
        let meterReasons: ReasonSet = [.rollover, .reset, .jump, .backwards]
        let inputs = record.counters.compactMap { counter -> LedgerCoverageGap.Input? in
            let trouble = counter.reasons.subtracting(meterReasons)
            return trouble.isEmpty ? nil : .init(tag: counter.tagPath, reasons: trouble.codes)
        }
        return LedgerCoverageGap(line: record.line, period: record.period.rawValue, label: record.span.label,
                                 periodStart: UTCTimestamp.rfc3339(record.span.start), periodEnd: UTCTimestamp.rfc3339(record.span.end),
                                 metrics: short.map { .init(id: $0.id, coverage: $0.value.coverage, estimatedShare: $0.value.estimatedShare) },
                                 inputs: inputs)
    }
}
