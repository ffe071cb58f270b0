import ControlProtocol
import PlantgateConsole

/// Line metrics as a technician reads them: one row per metric with its windows side by side
/// (`power_kw`, `power_kw/1m`, `power_kw/15m` → one row), the few key metrics unless `all`.
struct MetricGrouping {
    /// The metrics shown by default, in this order, when the line has them.
    static let keyMetrics = ["power_kw", "demand_kw_15m", "electricity_import_kwh", "product_t", "sec_electric_kwh_per_t"]

    /// One window's reading.
    struct Cell {
        var value: Double?
        var quality: String
    }

    struct Row {
        var metric: String
        var unit: String
        var now: Cell?
        var oneMinute: Cell?
        var fifteenMinutes: Cell?

        /// The quality of the shortest window that has a value (the one a technician reads first);
        /// each value is also coloured by its own.
        var quality: String {
            let cells = [now, oneMinute, fifteenMinutes].compactMap { $0 }
            return (cells.first { $0.value != nil } ?? cells.first)?.quality ?? "bad"
        }
    }

    var rows: [Row]
    /// How many metrics the line has in all.
    var total: Int

    init(_ readings: [MetricReading], all: Bool) {
        var byMetric: [String: Row] = [:]
        for reading in readings {
            let metric = reading.id.split(separator: "/").first.map(String.init) ?? reading.id
            var row = byMetric[metric] ?? Row(metric: metric, unit: reading.unit)
            let cell = Cell(value: reading.value, quality: reading.quality)
            switch reading.window {
            case "1m": row.oneMinute = cell
            case "15m": row.fifteenMinutes = cell
            default: row.now = cell
            }
            byMetric[metric] = row
        }
        let ordered = all
            ? byMetric.keys.sorted()
            : Self.keyMetrics.filter { byMetric[$0] != nil }
        rows = ordered.compactMap { byMetric[$0] }
        total = byMetric.count
    }

    func table() -> TextTable {
        var table = TextTable(headers: ["METRIC", "NOW", "1m", "15m", "UNIT", "QUALITY"], alignments: [.left, .right, .right, .right], indent: 2)
        func value(_ cell: Cell?) -> TextTable.Cell {
            guard let cell else { return TextTable.Cell("-") }
            return TextTable.Cell(ValueText.value(cell.value), cell.quality == "good" ? .plain : QualityStyle.style(cell.quality))
        }
        for row in rows {
            table.append([TextTable.Cell(row.metric), value(row.now), value(row.oneMinute), value(row.fifteenMinutes),
                          TextTable.Cell(row.unit), TextTable.Cell(row.quality, QualityStyle.style(row.quality))])
        }
        return table
    }
}
