import PlantModel

/// A contractual instrument of one line with the wall-clock span (ns) of the local month it covers.
struct ScheduledInstrument: Sendable {
    var instrument: ContractualInstrument
    var monthStart: Int64
    var monthEnd: Int64

    /// The kWh this instrument makes available to a period from `start` to `end`: its month's MWh in
    /// proportion to the part of the month the period covers (all of it for the month record).
    func availableKWh(from start: Int64, to end: Int64) -> Double {
        let overlap = max(0, min(end, monthEnd) - max(start, monthStart))
        guard overlap > 0, monthEnd > monthStart else { return 0 }
        return instrument.mwh * 1000 * Double(overlap) / Double(monthEnd - monthStart)
    }
}

/// The market-based Scope 2 of one period (GHG Protocol Scope 2 Guidance): instruments cover purchased
/// electricity in the order configured, each up to what it makes available; the residual mix covers the rest.
/// On-site generation consumed is renewable and has no Scope 2 emissions.
public struct Scope2Allocation: Sendable, Hashable {
    /// What one instrument offers this period.
    public struct Supply: Sendable, Hashable {
        public var kwh: Double
        public var kgCO2ePerKWh: Double
        public var renewable: Bool

        public init(kwh: Double, kgCO2ePerKWh: Double, renewable: Bool) {
            self.kwh = kwh
            self.kgCO2ePerKWh = kgCO2ePerKWh
            self.renewable = renewable
        }
    }

    /// Purchased kWh covered by instruments, and by the residual mix.
    public var coveredKWh = 0.0
    public var residualKWh = 0.0
    public var kgCO2e = 0.0
    /// Renewable kWh consumed: instruments marked renewable plus on-site generation.
    public var renewableKWh = 0.0
    /// Purchased plus on-site kWh.
    public var consumedKWh = 0.0

    /// `renewableKWh / consumedKWh`; nil when nothing was consumed.
    public var renewableShare: Double? { consumedKWh > 0 ? renewableKWh / consumedKWh : nil }

    public init(purchasedKWh: Double, onsiteKWh: Double, supplies: [Supply], residualKgCO2ePerKWh: Double) {
        var left = max(0, purchasedKWh)
        for supply in supplies where left > 0 {
            let used = min(left, max(0, supply.kwh))
            left -= used
            coveredKWh += used
            kgCO2e += used * supply.kgCO2ePerKWh
            if supply.renewable { renewableKWh += used }
        }
        residualKWh = left
        kgCO2e += left * residualKgCO2ePerKWh
        let onsite = max(0, onsiteKWh)
        renewableKWh += onsite
        consumedKWh = max(0, purchasedKWh) + onsite
    }
}

extension MetricEngine {
    /// This line's instruments with the wall-clock span of their local month.
    static func schedule(_ instruments: [ContractualInstrument], line: String, calendar: PeriodCalendar) -> [ScheduledInstrument] {
        instruments.filter { $0.line == line }.map { instrument in
            // Noon UTC on the 15th lies inside the local month in every time zone.
            let midMonth = Int64(daysFromCivil(year: instrument.year, month: instrument.month, day: 15)) * 86_400_000_000_000 + 43_200_000_000_000
            let span = calendar.span(.month, containing: midMonth)
            return ScheduledInstrument(instrument: instrument, monthStart: span.start, monthEnd: span.end)
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
