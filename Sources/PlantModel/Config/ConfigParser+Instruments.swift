import Yams

extension ConfigParser {
    /// `factors.market.instruments[]`, with every certificate id claimed once across the whole list
    /// (a second claim names the first place, file:line).
    func parseInstruments(_ node: Node, _ path: String, siteMarket: String?) -> [ContractualInstrument] {
        guard let items = reader.sequence(node, path) else { return [] }
        var claimed: [String: (path: String, line: Int)] = [:]
        var out: [ContractualInstrument] = []
        let keys = ["id", "type", "line", "month", "market", "mwh", "kgco2e_per_kwh", "renewable", "certificates"]
        for (item, itemPath) in items {
            guard let fields = reader.mapping(item, itemPath, allowed: keys) else { continue }
            let id = fields.requiredString("id", example: "ppa-solar-2026-03")
            let kind = fields.required("type", example: "go").flatMap { reader.choice($0, fields.path("type"), what: "instrument type", from: ContractualInstrument.kinds) }
            let line = fields.requiredString("line", example: "ew-1")
            let month = fields.required("month", example: "\"2026-03\"").flatMap { parseMonth($0, fields.path("month")) }
            let market = fields.requiredString("market", example: siteMarket ?? "CL-SEN")
            if let market, let siteMarket, market != siteMarket {
                reader.error(fields["market"], fields.path("market"), "instrument market \(market) is not the site's market \(siteMarket) (factors.market.market): an instrument counts only in the market it was issued in")
            }
            let mwh = fields.requiredDouble("mwh", example: "1200")
            if let mwh, !(mwh > 0) { reader.error(fields["mwh"], fields.path("mwh"), "an instrument covers a positive number of MWh") }
            let factor = fields.double("kgco2e_per_kwh") ?? 0
            if factor < 0 { reader.error(fields["kgco2e_per_kwh"], fields.path("kgco2e_per_kwh"), "a factor cannot be negative") }
            var certificates: [String] = []
            if let list = fields["certificates"], let entries = reader.sequence(list, fields.path("certificates")) {
                for (entry, entryPath) in entries {
                    guard let certificate = reader.string(entry, entryPath) else { continue }
                    let here = ConfigReader.line(entry)
                    if let first = claimed[certificate] {
                        reader.error(entry, entryPath, "certificate \(certificate) is already claimed at \(reader.source.file):\(first.line) (\(first.path)); a certificate counts once, for one period and one line")
                    } else {
                        claimed[certificate] = (entryPath, here)
                    }
                    certificates.append(certificate)
                }
            } else if kind == "go" || kind == "irec" || kind == "rec" {
                reader.error(item, fields.path("certificates"), "a \(kind ?? "") instrument lists its certificate ids (`certificates: [GO-…]`), so that none is claimed twice")
            }
            guard let id, let kind, let line, let month, let market, let mwh else { continue }
            reader.source.record(itemPath, line: ConfigReader.line(item))
            out.append(ContractualInstrument(id: id, kind: kind, line: line, year: month.year, month: month.month, market: market, mwh: mwh,
                                             kgCO2ePerKWh: factor, renewable: fields.bool("renewable") ?? (factor == 0), certificates: certificates))
        }
        return out
    }

    /// `"2026-03"`.
    func parseMonth(_ node: Node, _ path: String) -> (year: Int, month: Int)? {
        guard let text = reader.string(node, path) else { return nil }
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
            (1990...2100).contains(year), (1...12).contains(month)
        else {
            reader.error(node, path, "expected a month as \"YYYY-MM\" (e.g. \"2026-03\"), found \"\(text.prefix(20))\"")
            return nil
        }
        return (year, month)
    }
}
