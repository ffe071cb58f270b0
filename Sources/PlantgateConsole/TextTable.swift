/// A plain-text table with aligned columns; colour is applied after padding, so escape codes never
/// disturb the alignment.
public struct TextTable {
    /// One cell: its text and how to colour it.
    public struct Cell: ExpressibleByStringLiteral {
        public var text: String
        public var style: Terminal.Style

        public init(_ text: String, _ style: Terminal.Style = .plain) {
            self.text = text
            self.style = style
        }

        public init(stringLiteral value: String) { self.init(value) }
    }

    public enum Alignment { case left, right }

    public var headers: [String]
    /// Alignment per column; missing entries are left-aligned.
    public var alignments: [Alignment] = []
    public var rows: [[Cell]] = []
    /// Spaces before each line.
    public var indent = 0

    public init(headers: [String], alignments: [Alignment] = [], indent: Int = 0) {
        self.headers = headers
        self.alignments = alignments
        self.indent = indent
    }

    public mutating func append(_ row: [Cell]) { rows.append(row) }

    /// The table as lines, header first; trailing spaces trimmed. With `width`, the widest columns are
    /// cut (ending in `…`) until every line fits.
    public func render(on terminal: Terminal, width: Int? = nil) -> String {
        let columns = max(headers.count, rows.map(\.count).max() ?? 0)
        var widths = [Int](repeating: 0, count: columns)
        for (index, header) in headers.enumerated() { widths[index] = header.count }
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.text.count) }
        }
        if let width { Self.shrink(&widths, toFit: width - indent - 2 * max(0, columns - 1)) }
        func line(_ cells: [Cell]) -> String {
            var parts: [String] = []
            for index in 0..<columns {
                var cell = index < cells.count ? cells[index] : Cell("")
                if cell.text.count > widths[index] { cell.text = String(cell.text.prefix(max(0, widths[index] - 1))) + "…" }
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

    /// Narrows the widest column, one character at a time, until the columns add up to `total` (no column
    /// below 4 characters: `ab…` still says which row it is).
    public static func shrink(_ widths: inout [Int], toFit total: Int) {
        while widths.reduce(0, +) > total, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 4 {
            widths[widest] -= 1
        }
    }
}
