/// A plain-text table with aligned columns; colour is applied after padding, so escape codes never
/// disturb the alignment.
struct TextTable {
    /// One cell: its text and how to colour it.
    struct Cell: ExpressibleByStringLiteral {
        var text: String
        var style: Terminal.Style

        init(_ text: String, _ style: Terminal.Style = .plain) {
            self.text = text
            self.style = style
        }

        init(stringLiteral value: String) { self.init(value) }
    }

    enum Alignment { case left, right }

    var headers: [String]
    /// Alignment per column; missing entries are left-aligned.
    var alignments: [Alignment] = []
    var rows: [[Cell]] = []
    /// Spaces before each line.
    var indent = 0

    init(headers: [String], alignments: [Alignment] = [], indent: Int = 0) {
        self.headers = headers
        self.alignments = alignments
        self.indent = indent
    }

    mutating func append(_ row: [Cell]) { rows.append(row) }

    /// The table as lines, header first; trailing spaces trimmed.
    func render(on terminal: Terminal) -> String {
        let columns = max(headers.count, rows.map(\.count).max() ?? 0)
        var widths = [Int](repeating: 0, count: columns)
        for (index, header) in headers.enumerated() { widths[index] = header.count }
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.text.count) }
        }
        func line(_ cells: [Cell]) -> String {
            var parts: [String] = []
            for index in 0..<columns {
                let cell = index < cells.count ? cells[index] : Cell("")
                let padding = String(repeating: " ", count: widths[index] - cell.text.count)
                let right = index < alignments.count && alignments[index] == .right
                parts.append(right ? padding + terminal.paint(cell.text, cell.style) : terminal.paint(cell.text, cell.style) + padding)
            }
            var text = String(repeating: " ", count: indent) + parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        let header = line(headers.map { Cell($0, .bold) })
        return ([header] + rows.map(line)).joined(separator: "\n")
    }
}
