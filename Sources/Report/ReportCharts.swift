/// The report's three charts, each an inline SVG with one bar per day and figure.
enum ReportCharts {
    /// Daily electricity (bars) and specific electricity per tonne (line).
    static func energy(_ days: [DayFigures]) -> String {
        DailyChart(id: "chart-energy", title: "Electricity per day and per tonne", days: days.map(\.label),
                   bars: [.init(name: "electricity", unit: "kWh", color: "#2b6cb0", values: days.map { $0.value(MetricID.electricity) })],
                   line: .init(name: "kWh per t", unit: "kWh/t", color: "#c05621", values: days.map { $0.value(MetricID.specificElectricity) })).svg()
    }

    /// Daily water withdrawal, discharge, consumption and recycle.
    static func water(_ days: [DayFigures]) -> String {
        let series: [(String, String, String)] = [
            ("withdrawal", MetricID.withdrawal, "#3182ce"), ("discharge", MetricID.discharge, "#805ad5"),
            ("consumption", MetricID.consumption, "#dd6b20"), ("recycle", MetricID.recycled, "#38a169"),
        ]
        return DailyChart(id: "chart-water", title: "Water per day", days: days.map(\.label),
                          bars: series.map { name, id, color in .init(name: name, unit: "m3", color: color, values: days.map { $0.value(id) }) },
                          line: nil).svg()
    }

    /// Daily coverage of the inputs and estimated share, in percent.
    static func coverage(_ days: [DayFigures]) -> String {
        DailyChart(id: "chart-coverage", title: "Coverage and estimated share per day", days: days.map(\.label),
                   bars: [
                       .init(name: "coverage", unit: "%", color: "#2f855a", values: days.map { $0.coverage.map { $0 * 100 } }),
                       .init(name: "estimated", unit: "%", color: "#d69e2e", values: days.map { $0.estimated.map { $0 * 100 } }),
                   ],
                   line: nil).svg()
    }
}
