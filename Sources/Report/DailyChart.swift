import Foundation

/// A chart of daily values: grouped bars on the left axis and, optionally, one line on a right axis.
/// A day without a value draws no mark, so the marks drawn say which days have figures.
struct DailyChart {
    struct Series {
        var name: String
        var unit: String
        var color: String
        var values: [Double?]
    }

    var id: String
    var title: String
    var days: [String]
    var bars: [Series]
    var line: Series?

    static let width = 720.0, height = 260.0
    static let left = 64.0, right = 64.0, top = 34.0, bottom = 40.0

    func svg() -> String {
        var svg = SVGWriter(width: Self.width, height: Self.height)
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        let barValues = bars.flatMap(\.values).compactMap { $0 }
        let barScale = Scale(low: min(0, barValues.min() ?? 0), high: max(0, barValues.max() ?? 1), pixels: plotHeight, top: Self.top)
        svg.text(title, x: Self.left, y: 14, size: 12, fill: "#000")
        legend(&svg)
        for tick in barScale.ticks() {
            let y = barScale.y(tick)
            svg.line(x1: Self.left, y1: y, x2: Self.left + plotWidth, y2: y, stroke: "#ddd")
            svg.text(NumberText.display(tick), x: Self.left - 4, y: y + 3, anchor: "end", size: 9)
        }
        if let unit = bars.first?.unit { svg.text(unit, x: 4, y: Self.top - 6, size: 9) }
        let slot = plotWidth / Double(max(days.count, 1))
        let barWidth = slot * 0.8 / Double(max(bars.count, 1))
        for (index, day) in days.enumerated() {
            let x0 = Self.left + slot * Double(index) + slot * 0.1
            for (series, bar) in bars.enumerated() {
                guard let value = bar.values[index] else { continue }
                let y = barScale.y(max(value, 0)), base = barScale.y(min(value, 0))
                svg.rect(x: x0 + barWidth * Double(series), y: y, width: barWidth * 0.92, height: base - y, fill: bar.color,
                         title: "\(day) \(bar.name): \(NumberText.display(value)) \(bar.unit)")
            }
            if days.count <= 16 || index % ((days.count + 15) / 16) == 0 {
                svg.text(String(day.suffix(5)), x: x0 + slot * 0.4, y: Self.height - Self.bottom + 14, anchor: "middle", size: 9)
            }
        }
        svg.line(x1: Self.left, y1: barScale.y(0), x2: Self.left + plotWidth, y2: barScale.y(0), stroke: "#444")
        if let line { drawLine(line, &svg, slot: slot, plotHeight: plotHeight) }
        return svg.svg(id: id, label: title)
    }

    private func drawLine(_ line: Series, _ svg: inout SVGWriter, slot: Double, plotHeight: Double) {
        let values = line.values.compactMap { $0 }
        guard !values.isEmpty else { return }
        // Headroom above the highest point keeps the line off the frame.
        let scale = Scale(low: 0, high: max(values.max() ?? 1, 0) * 1.15, pixels: plotHeight, top: Self.top)
        for tick in scale.ticks() {
            svg.text(NumberText.display(tick), x: Self.width - Self.right + 4, y: scale.y(tick) + 3, size: 9, fill: line.color)
        }
        svg.text(line.unit, x: Self.width - Self.right + 4, y: Self.top - 6, size: 9, fill: line.color)
        var points: [(x: Double, y: Double)] = []
        for (index, value) in line.values.enumerated() {
            guard let value else { continue }
            points.append((Self.left + slot * (Double(index) + 0.5), scale.y(value)))
        }
        // One point draws no segment: a short tick makes the lone day visible.
        if points.count == 1 { points = [(points[0].x - slot * 0.3, points[0].y), (points[0].x + slot * 0.3, points[0].y)] }
        svg.polyline(points, stroke: line.color, title: line.name)
    }

    private func legend(_ svg: inout SVGWriter) {
        var x = Self.left + 250
        for series in bars + (line.map { [$0] } ?? []) {
            svg.rect(x: x, y: 6, width: 10, height: 10, fill: series.color, mark: false)
            svg.text(series.name, x: x + 14, y: 15, size: 9)
            x += 24 + Double(series.name.count) * 5
        }
    }
}

/// A linear value axis from `low` to `high` over `pixels`, with round ticks.
struct Scale {
    var low: Double
    var high: Double
    var pixels: Double
    var top: Double

    init(low: Double, high: Double, pixels: Double, top: Double) {
        self.low = low
        self.high = high > low ? high : low + 1
        self.pixels = pixels
        self.top = top
    }

    func y(_ value: Double) -> Double { top + pixels * (1 - (value - low) / (high - low)) }

    func ticks() -> [Double] {
        let rough = (high - low) / 4
        let power = pow10(floor(log10(rough)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * power }.first { $0 >= rough } ?? rough
        var tick = (low / step).rounded(.up) * step
        var out: [Double] = []
        while tick <= high + step * 1e-9, out.count < 12 {
            out.append(tick)
            tick += step
        }
        return out
    }

    private func pow10(_ x: Double) -> Double { Foundation.pow(10, x) }
}
