import Foundation
import Ledger
import Report
import Testing

/// The auditor's page from a signed chain made by the real chain code: what it shows and how it draws.
@Suite("Report page")
struct ReportPageTests {
    @Test func eachChartDrawsOneMarkPerDayAndFigure() throws {
        var fixture = ReportFixture()
        try fixture.event(.started(version: "0.1.0", revision: "abc"), at: "2026-03-10T00:00:01.000Z")
        for date in ["2026-03-10", "2026-03-11", "2026-03-12"] { try fixture.day(date) }
        let page = ReportPage.html(fixture.input())
        let energy = try #require(chart("chart-energy", in: page))
        #expect(occurrences(of: "<rect class=\"mark\"", in: energy) == 3)
        #expect(occurrences(of: "<polyline class=\"mark\"", in: energy) == 1)
        let water = try #require(chart("chart-water", in: page))
        #expect(occurrences(of: "<rect class=\"mark\"", in: water) == 12)
        let coverage = try #require(chart("chart-coverage", in: page))
        // Coverage bars for three days; an estimated share of 0 still draws a (flat) bar per day.
        #expect(occurrences(of: "<rect class=\"mark\"", in: coverage) == 6)
        #expect(occurrences(of: "<tr class=\"day\">", in: page) == 4, "three days and the total")
        #expect(!page.contains("<script"))
    }

    @Test func theVerificationAndKeyComeFirst() throws {
        var fixture = ReportFixture()
        try fixture.day("2026-03-10")
        let page = ReportPage.html(fixture.input())
        let key = fixture.chain.signer.publicKey.id
        let verification = try #require(page.range(of: "Ledger verified"))
        let firstTable = try #require(page.range(of: "<table"))
        #expect(verification.lowerBound < firstTable.lowerBound)
        #expect(page.contains("<code id=\"key-id\">\(key)</code>"))
        #expect(page.contains("OK ledger.sqlite: 1 entries (n=1…1), 1 period records, 0 events"))

        let broken = ReportPage.html(fixture.input(verified: false))
        #expect(broken.contains("LEDGER DOES NOT VERIFY"))
        #expect(broken.contains("class=\"broken\""))
        #expect(broken.contains("entry 3 (n=3): the signed bytes changed"))
    }

    @Test func textFromTheConfigAndTheLedgerIsEscaped() throws {
        var fixture = ReportFixture()
        try fixture.day("2026-03-10")
        try fixture.event(.stopped(reason: "<img src=x onerror=alert(1)> & \"quotes\""), at: "2026-03-11T01:00:00.000Z")
        let line = ReportLine(id: "lioh-1", name: "Line <b>1</b> & 'co'", product: "LiOH·H2O", minimumTonnes: 0.2)
        let page = ReportPage.html(fixture.input(line: line))
        #expect(page.contains("Line &lt;b&gt;1&lt;/b&gt; &amp; &#39;co&#39;"))
        #expect(!page.contains("<b>1</b>"))
        #expect(page.contains("reason=&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;"))
        #expect(!page.contains("<img"))
    }

    @Test func anEmptyRangeSaysSoInsteadOfDrawing() throws {
        var fixture = ReportFixture()
        try fixture.day("2026-03-10")
        let page = ReportPage.html(fixture.input(from: "2026-05-01T00:00:00.000Z", to: "2026-06-01T00:00:00.000Z"))
        #expect(page.contains("id=\"no-records\""))
        #expect(page.contains("no period records of line lioh-1 in this range"))
        #expect(!page.contains("<svg"))
        #expect(page.contains("No events in this range."))
    }

    @Test func aMissingMetricIsNamedNotDrawn() throws {
        var fixture = ReportFixture()
        try fixture.day("2026-03-10")
        let page = ReportPage.html(fixture.input())
        let note = try #require(page.range(of: "id=\"missing-metrics\"").map { String(page[$0.lowerBound...].prefix(400)) })
        #expect(note.contains("scope2_mb_tco2e"))
        #expect(!note.contains("scope2_lb_tco2e"))
        #expect(!page.contains("<th>Scope 2 MB tCO2e</th>"))
    }

    @Test func eventsOfOtherLinesStayOut() throws {
        var fixture = ReportFixture()
        try fixture.day("2026-03-10")
        try fixture.event(.meter(reason: "RESET", line: "lioh-1", period: "hour", label: "2026-03-10T11:00+05:00", tag: "pm-main/energy_import",
                                 unit: "kWh", before: 39.7, after: 0.1), at: "2026-03-10T12:00:00.100Z")
        try fixture.event(.meter(reason: "ROLLOVER", line: "cu-ew", period: "hour", label: "2026-03-10T11:00+05:00", tag: "pm-ew/energy",
                                 unit: "kWh", before: 4294967.0, after: 0.1), at: "2026-03-10T12:00:00.200Z")
        let page = ReportPage.html(fixture.input())
        #expect(page.contains("<td>meter-reset</td>"))
        #expect(!page.contains("meter-rollover"))
    }
}
