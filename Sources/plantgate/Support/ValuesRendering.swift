import ControlProtocol
import Foundation
import PlantgateConsole

/// `plantgate watch` output: a page that fits the terminal, or plain timestamped lines for a pipe.
struct ValuesRendering {
    var report: ValuesReport
    var terminal: Terminal

    /// The page drawn on each refresh: at most `rows` lines of at most `columns` characters, tags first,
    /// then line metrics while room is left; what does not fit is counted, never wrapped.
    func page(header: String, columns: Int, rows: Int) -> [String] {
        let out = [terminal.paint(Self.cut(header, columns), .bold)]
        var table = TextTable(headers: ["TAG", "VALUE", "UNIT", "QUALITY", "AGE", "REASON"], alignments: [.left, .right])
        for reading in report.values {
            table.append([TextTable.Cell(reading.path), TextTable.Cell(ValueText.value(reading.value)), TextTable.Cell(reading.unit),
                          TextTable.Cell(reading.quality, QualityStyle.style(reading.quality)),
                          TextTable.Cell(Self.age(reading)), TextTable.Cell(Self.reasonText(reading.reason))])
        }
        var body: [String] = []
        if !report.values.isEmpty { body += table.render(on: terminal, width: columns).components(separatedBy: "\n") }
        for line in report.metrics where !line.metrics.isEmpty {
            let grouping = MetricGrouping(line.metrics, all: false)
            body.append(terminal.paint("line \(line.id): \(grouping.rows.count) of \(grouping.total) metrics", .bold))
            body += grouping.table().render(on: terminal, width: columns).components(separatedBy: "\n")
        }
        if body.isEmpty { body = ["no values yet"] }
        let room = max(1, rows - out.count)
        if body.count > room {
            let left = body.count - (room - 1)
            body = Array(body.prefix(room - 1)) + [Self.cut("… \(left) more lines: narrow with --device, --line or --tag, or enlarge the window", columns)]
        }
        return out + body
    }

    /// One line per value, for logs and scripts: `TIME PATH VALUE UNIT QUALITY age=…`.
    func lines(at time: String) -> [String] {
        let tags = report.values.map { reading in
            var line = "\(time) \(reading.path) \(ValueText.value(reading.value)) \(reading.unit) \(reading.quality) age=\(Self.age(reading))"
            let reason = Self.reasonText(reading.reason)
            if !reason.isEmpty { line += " reason=\(reason)" }
            return line
        }
        let metrics = report.metrics.flatMap { line in
            line.metrics.map { "\(time) \(line.id)/\($0.id) \(ValueText.value($0.value)) \($0.unit) \($0.quality)" + ($0.window.map { " window=\($0)" } ?? "") }
        }
        return tags + metrics
    }

    /// How old the value is; for a bad value, how long since the tag last read good (`never` if it has not).
    static func age(_ reading: ValuesReport.Value) -> String {
        guard reading.quality == "bad" else { return ValueText.span(reading.ageSeconds) }
        return reading.sinceGoodSeconds.map(ValueText.span) ?? "never"
    }

    static func cut(_ text: String, _ columns: Int) -> String {
        text.count > columns ? String(text.prefix(max(0, columns - 1))) + "…" : text
    }

    private static func reasonText(_ reason: String?) -> String {
        guard let reason, reason != "OK" else { return "" }
        return reason
    }
}
