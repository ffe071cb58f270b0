import Foundation
import Ledger
import Report

/// A small signed chain for the report's tests: period records and events made by the real chain code.
struct ReportFixture {
    var chain = LedgerChain(site: "kz-lioh", signer: SoftwareSigner())
    var entries: [LedgerEntry] = []
    var seq: [String: Int] = [:]

    static let line = ReportLine(id: "lioh-1", name: "LiOH·H2O line 1", product: "LiOH·H2O", minimumTonnes: 0.2)

    /// Appends a closed period record of `line` with `metrics` as (value, unit, cov, est).
    mutating func period(_ kind: String, start: String, end: String, label: String, hours: Double, line: String = "lioh-1",
                         _ metrics: [String: (Double?, String, Double, Double)]) throws {
        seq[line + kind, default: 0] += 1
        let body = metrics.keys.sorted().map { id in
            let (value, unit, cov, est) = metrics[id]!
            return "\"\(id)\":{\"v\":\(value.map { "\($0)" } ?? "null"),\"u\":\"\(unit)\",\"q\":\"good\",\"cov\":\(cov),\"est\":\(est),\"reasons\":[]}"
        }.joined(separator: ",")
        let record = "{\"line\":\"\(line)\",\"period\":\"\(kind)\",\"start\":\"\(start)\",\"end\":\"\(end)\",\"label\":\"\(label)\",\"hours\":\(hours),"
            + "\"seq\":\(seq[line + kind]!),\"metrics\":{\(body)},\"reasons\":[],"
            + "\"factors\":{\"grid\":{\"id\":\"kz-ember-2024\",\"value\":0.8,\"unit\":\"kgCO2e/kWh\",\"source\":\"Ember 2024\",\"vintage\":2024},"
            + "\"ncv:natural_gas\":{\"id\":\"natural_gas\",\"value\":35.8,\"unit\":\"MJ/Nm3\",\"source\":\"config\"}},\"gwp\":\"AR6\"}"
        entries.append(try chain.append(record, kind: "period", at: end))
    }

    /// A full day record of the lithium line with round figures.
    mutating func day(_ date: String, electricity: Double = 80_000, product: Double = 20, cov: Double = 1, est: Double = 0) throws {
        try period("day", start: date + "T00:00:00.000Z", end: Self.next(date) + "T00:00:00.000Z", label: date, hours: 24, [
            "product_t": (product, "t", cov, 0), "electricity_import_kwh": (electricity, "kWh", cov, est),
            "energy_total_gj": (electricity * 0.0036 + 50, "GJ", cov, est), "sec_electric_kwh_per_t": (electricity / product, "kWh/t", cov, est),
            "water_withdrawal_m3": (600, "m3", cov, 0), "water_discharge_m3": (200, "m3", cov, 0), "water_consumption_m3": (400, "m3", cov, 0),
            "water_recycled_m3": (300, "m3", cov, 0), "scope1_combustion_tco2e": (2.8, "tCO2e", cov, 0),
            "scope2_lb_tco2e": (electricity * 0.0008, "tCO2e", cov, est),
        ])
    }

    mutating func event(_ event: LedgerEvent, at: String) throws {
        entries.append(try chain.append(event, at: at))
    }

    func input(from: String? = nil, to: String? = nil, verified: Bool = true, line: ReportLine = Self.line) -> ReportInput {
        let result = LedgerVerifier(trustedKeys: [chain.signer.publicKey]).verify(entries.map(\.bytes))
        var verification = ReportVerification(result, source: "ledger.sqlite")
        if !verified { verification = ReportVerification(verified: false, summary: "BROKEN ledger.sqlite: entry 3 (n=3): the signed bytes changed", keyIDs: result.keyIDs) }
        return ReportInput(site: "kz-lioh", line: line, from: from, to: to, verification: verification, entries: entries, generated: "2026-04-01T00:00:00Z")
    }

    /// The date after `date` (days 1…27 of a month are enough for these tests).
    static func next(_ date: String) -> String {
        let day = Int(date.suffix(2))! + 1
        return String(date.prefix(8)) + (day < 10 ? "0" : "") + "\(day)"
    }
}

/// How many times `needle` occurs in `text`.
func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

/// The `<svg id="…">…</svg>` element of chart `id` in `page`.
func chart(_ id: String, in page: String) -> String? {
    guard let start = page.range(of: "<svg id=\"\(id)\"") else { return nil }
    guard let end = page.range(of: "</svg>", range: start.upperBound..<page.endIndex) else { return nil }
    return String(page[start.lowerBound..<end.upperBound])
}
