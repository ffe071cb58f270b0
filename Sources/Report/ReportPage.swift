/// The auditor's page: one self-contained HTML document (inline CSS and SVG, no script, no network),
/// printable. Verification and key first, then totals, charts, the daily table and every event.
public enum ReportPage {
    public static func html(_ input: ReportInput) -> String {
        let figures = ReportFigures(input)
        let e = HTMLText.escape
        let title = "plantgate report: \(input.site) / \(input.line.id)"
        var page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(e(title))</title>\n"
        page += "<style>\(style)</style></head><body>\n"
        page += "<h1>\(e(input.line.name)) <span class=\"id\">(line \(e(input.line.id)), site \(e(input.site)))</span></h1>\n"
        page += verification(input.verification)
        page += "<table class=\"facts\">"
        page += row("Product basis", input.line.product)
        page += row("Range asked", "\(input.from ?? "start of the ledger") to \(input.to ?? "end of the ledger")")
        page += row("Records used", figures.start.map { "\($0) to \(figures.end ?? "") (\(figures.recordCount) period records of this line in the range)" } ?? "none")
        page += row("Generated", input.generated)
        page += "</table>\n"
        guard !figures.days.isEmpty else {
            page += "<p class=\"note\" id=\"no-records\">The ledger has no period records of line \(e(input.line.id)) in this range, so there are no figures to show.</p>\n"
            return page + ReportTables.events(figures.events) + footer + "</body></html>\n"
        }
        page += ReportTables.totals(figures)
        page += "<h2>Charts</h2>\n<figure>\(ReportCharts.energy(figures.days))</figure>\n"
        page += "<figure>\(ReportCharts.water(figures.days))</figure>\n<figure>\(ReportCharts.coverage(figures.days))</figure>\n"
        page += ReportTables.days(figures)
        page += ReportTables.events(figures.events)
        page += ReportTables.missing(figures.metricIDs)
        return page + footer + "</body></html>\n"
    }

    private static func verification(_ result: ReportVerification) -> String {
        let e = HTMLText.escape
        let keys = result.keyIDs.isEmpty ? "(none)" : result.keyIDs.joined(separator: " then ")
        let head = result.verified
            ? "Ledger verified: every signature, link and entry number holds."
            : "LEDGER DOES NOT VERIFY: the figures below cannot be trusted as signed."
        return "<section id=\"verification\" class=\"\(result.verified ? "ok" : "broken")\"><p class=\"head\">\(e(head))</p>"
            + "<p>\(e(result.summary))</p><p>Signed by key id <code id=\"key-id\">\(e(keys))</code>. Compare it with the key id the box publishes (docs/verifying.md).</p></section>\n"
    }

    static func row(_ name: String, _ value: String) -> String {
        "<tr><th>\(HTMLText.escape(name))</th><td>\(HTMLText.escape(value))</td></tr>"
    }

    private static let footer = """
        <h2>How these figures are made</h2>
        <p class="note">Each day takes the figures of its closed day record in the signed ledger; a day the range or the ledger \
        cuts takes the sum of its hour records. Totals add; intensities are ratios of the totals; coverage is the lowest \
        share of time that the day's energy, water and product inputs were measured; the estimated share is the largest \
        share of a total that was spread or filled rather than measured. Scope 1 is fuel combustion on site; Scope 2 is \
        purchased electricity, location-based and, where configured, market-based. Upstream materials and transport are \
        not measured here.</p>
        """

    private static let style = """
        body{font:13px/1.4 system-ui,sans-serif;margin:24px;color:#111}h1{font-size:20px}h2{font-size:16px;margin-top:24px}\
        .id{color:#555;font-weight:normal}table{border-collapse:collapse;margin:8px 0;font-size:11px}th,td{border:1px solid #ccc;padding:2px 4px;text-align:right}\
        th{background:#f3f3f3}table.facts th,table.facts td,table.events td{text-align:left}\
        #verification{padding:8px 12px;border:2px solid;margin:12px 0}#verification.ok{border-color:#2f855a;background:#f0fff4}\
        #verification.broken{border-color:#c53030;background:#fff5f5;color:#c53030;font-size:16px;font-weight:bold}\
        .head{font-weight:bold;margin:0 0 4px}figure{margin:8px 0}svg.chart{width:100%;max-width:720px;height:auto}\
        .note{color:#444;max-width:720px}td.bad{color:#c53030}td.uncertain{color:#b7791f}\
        @media print{body{margin:0;font-size:10px}table{font-size:8px}figure,table,section{break-inside:avoid}h2{break-after:avoid}}
        """
}
