import Gateway

/// Line metrics as a technician reads them: one row per metric with its windows side by side
/// (`power_kw`, `power_kw/1m`, `power_kw/15m` → one row), the few key metrics unless `all`.
struct MetricGrouping {
    /// The metrics shown by default, in this order, when the line has them.
    static let keyMetrics = ["power_kw", "demand_kw_15m", "electricity_import_kwh", "product_t", "sec_electric_kwh_per_t",
                             "water_withdrawal_m3", "ghg_intensity_kgco2e_per_t"]

    struct Row {
        var metric: String
        var unit: String
        /// Worst quality over the windows shown.
        var quality: String
        var now: Double?
        var oneMinute: Double?
        var fifteenMinutes: Double?
    }

    var rows: [Row]
    /// How many metrics the default view left out.
    var hidden: Int

    init(_ readings: [MetricReading], all: Bool) {
        var byMetric: [String: Row] = [:]
        let rank = ["good": 0, "uncertain": 1, "bad": 2]
        for reading in readings {
            let metric = reading.id.split(separator: "/").first.map(String.init) ?? reading.id
            var row = byMetric[metric] ?? Row(metric: metric, unit: reading.unit, quality: reading.quality)
            switch reading.window {
            case "1m": row.oneMinute = reading.value
            case "15m": row.fifteenMinutes = reading.value
            default: row.now = reading.value
            }
            if rank[reading.quality, default: 2] > rank[row.quality, default: 2] { row.quality = reading.quality }
            byMetric[metric] = row
        }
        let ordered = all
            ? byMetric.keys.sorted()
            : Self.keyMetrics.filter { byMetric[$0] != nil }
        rows = ordered.compactMap { byMetric[$0] }
        hidden = byMetric.count - rows.count
    }

    func table() -> TextTable {
        var table = TextTable(headers: ["METRIC", "NOW", "1m", "15m", "UNIT", "QUALITY"], alignments: [.left, .right, .right, .right], indent: 2)
        for row in rows {
            table.append([TextTable.Cell(row.metric), TextTable.Cell(NumberText.value(row.now)), TextTable.Cell(NumberText.value(row.oneMinute)),
                          TextTable.Cell(NumberText.value(row.fifteenMinutes)), TextTable.Cell(row.unit),
                          TextTable.Cell(row.quality, QualityStyle.style(row.quality))])
        }
        return table
    }
}
