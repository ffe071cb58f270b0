import Foundation
import Gateway

/// `plantgate watch` output: a refreshed table on a terminal, or plain timestamped lines for a pipe.
struct ValuesRendering {
    var report: ValuesReport
    var terminal: Terminal

    /// The page drawn on each refresh on a terminal.
    func page(header: String) -> String {
        var out = [terminal.paint(header, .bold), ""]
        var table = TextTable(headers: ["TAG", "VALUE", "UNIT", "QUALITY", "AGE", "REASON"], alignments: [.left, .right])
        for reading in report.values {
            table.append([TextTable.Cell(reading.path), TextTable.Cell(NumberText.value(reading.value)), TextTable.Cell(reading.unit),
                          TextTable.Cell(reading.quality, QualityStyle.style(reading.quality)),
                          TextTable.Cell(NumberText.span(reading.ageSeconds)), TextTable.Cell(Self.reasonText(reading.reason))])
        }
        out.append(report.values.isEmpty ? "no tags match" : table.render(on: terminal))
        for line in report.metrics where !line.metrics.isEmpty {
            out.append("")
            out.append(terminal.paint("line \(line.id)", .bold))
            out.append(StatusRendering.metricTable(line.metrics).render(on: terminal))
        }
        return out.joined(separator: "\n")
    }

    /// One line per value, for logs and scripts: `TIME PATH VALUE UNIT QUALITY age=…`.
    func lines(at time: String) -> [String] {
        let tags = report.values.map { reading in
            var line = "\(time) \(reading.path) \(NumberText.value(reading.value)) \(reading.unit) \(reading.quality) age=\(NumberText.span(reading.ageSeconds))"
            let reason = Self.reasonText(reading.reason)
            if !reason.isEmpty { line += " reason=\(reason)" }
            return line
        }
        let metrics = report.metrics.flatMap { line in
            line.metrics.map { "\(time) \(line.id)/\($0.id) \(NumberText.value($0.value)) \($0.unit) \($0.quality)" + ($0.window.map { " window=\($0)" } ?? "") }
        }
        return tags + metrics
    }

    private static func reasonText(_ reason: String?) -> String {
        guard let reason, reason != "OK" else { return "" }
        return reason
    }
}
