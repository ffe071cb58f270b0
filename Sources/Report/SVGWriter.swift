/// A small SVG writer for the report's charts: rectangles, polylines, lines and text, every attribute and
/// text escaped. Coordinates are in the chart's own user units (its `viewBox`).
public struct SVGWriter: Sendable {
    public let width: Double
    public let height: Double
    private var body = ""

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A filled rectangle; `title` becomes its tooltip and accessible name.
    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, mark: Bool = true, title: String? = nil) {
        body += "<rect\(mark ? " class=\"mark\"" : "") x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(width, 0)))\" height=\"\(Self.n(max(height, 0)))\" fill=\"\(HTMLText.escape(fill))\""
        body += title.map { "><title>\(HTMLText.escape($0))</title></rect>" } ?? "/>"
    }

    /// A polyline through `points`, unfilled.
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, title: String? = nil) {
        let list = points.map { "\(Self.n($0.x)),\(Self.n($0.y))" }.joined(separator: " ")
        body += "<polyline class=\"mark\" points=\"\(list)\" fill=\"none\" stroke=\"\(HTMLText.escape(stroke))\" stroke-width=\"2\""
        body += title.map { "><title>\(HTMLText.escape($0))</title></polyline>" } ?? "/>"
    }

    /// A thin line (axes, grid).
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#888") {
        body += "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(HTMLText.escape(stroke))\" stroke-width=\"0.5\"/>"
    }

    /// Text at (x, y); `anchor` is `start`, `middle` or `end`.
    public mutating func text(_ text: String, x: Double, y: Double, anchor: String = "start", size: Double = 10, fill: String = "#333") {
        body += "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(HTMLText.escape(anchor))\" font-size=\"\(Self.n(size))\" fill=\"\(HTMLText.escape(fill))\">\(HTMLText.escape(text))</text>"
    }

    /// The finished `<svg>` element with `id` and an accessible `label`.
    public func svg(id: String, label: String) -> String {
        "<svg id=\"\(HTMLText.escape(id))\" class=\"chart\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title>\(HTMLText.escape(label))</title>" + body + "</svg>"
    }

    /// Coordinates with at most two decimals.
    static func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let rounded = (x * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
