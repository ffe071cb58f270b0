/// The figures of one local day (or of the whole range): from the day's own record where the ledger has
/// it, else summed from the day's hour records.
public struct DayFigures: Sendable, Hashable {
    /// `YYYY-MM-DD` (site-local), or a name for the range.
    public var label: String
    /// What the figures come from, e.g. "day record" or "14 hour records".
    public var source: String
    public var hours: Double
    public var metrics: [String: MetricFigure]

    public init(label: String, source: String, hours: Double, metrics: [String: MetricFigure]) {
        self.label = label
        self.source = source
        self.hours = hours
        self.metrics = metrics
    }

    /// The value of metric `id`, nil when missing or null.
    public func value(_ id: String) -> Double? { metrics[id]?.value }

    /// The lowest coverage of the day's inputs (energy, water, product): the share of the day that every
    /// one of them was measured.
    public var coverage: Double? {
        MetricID.inputs.compactMap { metrics[$0]?.coverage }.min()
    }

    /// The largest estimated share among the day's inputs.
    public var estimated: Double? {
        MetricID.inputs.compactMap { metrics[$0]?.estimated }.max()
    }

    /// The sum of `parts` (records or days): totals add; coverage is weighted by hours and the
    /// estimated share by value; intensities are ratios of the sums (never means of ratios), left out
    /// while the product is under `minimumTonnes`.
    public static func sum(_ parts: [DayFigures], label: String, source: String, minimumTonnes: Double) -> DayFigures {
        let hours = parts.reduce(0) { $0 + $1.hours }
        var metrics: [String: MetricFigure] = [:]
        let ids = Set(parts.flatMap { $0.metrics.keys })
        for id in ids {
            let figures = parts.compactMap { part in part.metrics[id].map { (figure: $0, hours: part.hours) } }
            guard let unit = figures.first?.figure.unit, MetricID.additiveUnits.contains(unit), !id.contains("_per_") else { continue }
            let values = figures.compactMap(\.figure.value)
            let total = values.reduce(0, +)
            let weight = figures.reduce(0) { $0 + $1.hours }
            let coverage: Double? = weight > 0 ? figures.reduce(0) { $0 + ($1.figure.coverage ?? 0) * $1.hours } / weight : nil
            let estimated: Double? = total != 0
                ? figures.reduce(0) { $0 + ($1.figure.estimated ?? 0) * ($1.figure.value ?? 0) } / total
                : figures.compactMap(\.figure.estimated).max()
            let quality = figures.map(\.figure.quality).reduce("good", MetricFigure.worse)
            metrics[id] = MetricFigure(value: values.isEmpty ? nil : total, unit: unit,
                                       quality: values.count < figures.count ? "bad" : quality, coverage: coverage, estimated: estimated)
        }
        var day = DayFigures(label: label, source: source, hours: hours, metrics: metrics)
        day.addRatios(minimumTonnes: minimumTonnes)
        return day
    }

    /// Intensities from the totals (docs/metrics.md §5.6).
    mutating func addRatios(minimumTonnes: Double) {
        let product = metrics[MetricID.product]
        func ratio(_ id: String, _ numerator: [String], optional: [String] = [], scale: Double, unit: String) {
            let parts = numerator.map { metrics[$0] } + optional.filter { metrics[$0] != nil }.map { metrics[$0] }
            guard let product, parts.allSatisfy({ $0 != nil }) else { return }
            let tonnes = product.value ?? 0
            let sum = parts.compactMap { $0?.value }
            let value: Double? = tonnes >= minimumTonnes && tonnes > 0 && sum.count == parts.count ? scale * sum.reduce(0, +) / tonnes : nil
            let quality = parts.compactMap { $0?.quality }.reduce(product.quality, MetricFigure.worse)
            metrics[id] = MetricFigure(value: value, unit: unit, quality: value == nil ? "bad" : quality,
                                       coverage: (parts.compactMap { $0?.coverage } + [product.coverage].compactMap { $0 }).min(),
                                       estimated: (parts.compactMap { $0?.estimated } + [product.estimated].compactMap { $0 }).max())
        }
        ratio(MetricID.specificElectricity, [MetricID.electricity], scale: 1, unit: "kWh/t")
        ratio(MetricID.specificEnergy, [MetricID.energyTotal], scale: 1, unit: "GJ/t")
        ratio(MetricID.waterIntensity, [MetricID.withdrawal], scale: 1, unit: "m3/t")
        // A line without fuel has no Scope 1 metric: its intensity is Scope 2 alone.
        ratio(MetricID.ghgIntensity, [MetricID.scope2Location], optional: [MetricID.scope1], scale: 1000, unit: "kgCO2e/t")
        ratio(MetricID.ghgIntensityMarket, [MetricID.scope2Market], optional: [MetricID.scope1], scale: 1000, unit: "kgCO2e/t")
    }
}
