import Yams

extension ConfigParser {
    /// `report:`; every key optional. Product entries must name configured lines.
    func parseReport(_ node: Node, _ path: String, lineIDs: [String]) -> ReportConfig? {
        guard let fields = reader.mapping(node, path, allowed: ["company_name", "company_ids", "country", "dqi", "products"]) else { return nil }
        var report = ReportConfig()
        report.companyName = fields.string("company_name")
        if let ids = fields["company_ids"] { report.companyIDs = urns(ids, fields.path("company_ids")) }
        if let country = fields.string("country") {
            if country.wholeMatch(of: #/[A-Z]{2}/#) == nil {
                reader.error(fields["country"], fields.path("country"), "\"\(country.prefix(20))\" is not an ISO 3166-1 alpha-2 country code; write two capital letters, e.g. KZ or CL")
            }
            report.country = country
        }
        if let dqi = fields["dqi"], let ratings = reader.mapping(dqi, fields.path("dqi"), allowed: ["technological", "geographical", "temporal"]) {
            let values = ["technological", "geographical", "temporal"].map { key -> Double? in
                guard let value = ratings.requiredDouble(key, example: "1.5") else { return nil }
                if !(1...5).contains(value) { reader.error(ratings[key], ratings.path(key), "a PACT data quality rating is 1 (best) to 5, found \(value)") }
                return value
            }
            if let technological = values[0], let geographical = values[1], let temporal = values[2] {
                report.dataQuality = DataQualityRatings(technological: technological, geographical: geographical, temporal: temporal)
            }
        }
        if let products = fields["products"] {
            guard case .mapping(let mapping) = products else {
                reader.error(products, fields.path("products"), "expected a mapping of line id to product, e.g. `lioh-1: {ids: [\"urn:gtin:4012345000009\"], trade_name: LiOH·H2O battery grade}`")
                return report
            }
            for (key, value) in mapping {
                guard let line = reader.string(key, fields.path("products")) else { continue }
                let productPath = fields.path("products") + "." + line
                if !lineIDs.contains(line) {
                    let hint = Suggestion.hint(for: line, in: lineIDs)
                    reader.error(key, productPath, "no line \"\(line)\" in lines:" + (hint.isEmpty ? "; the lines are \(lineIDs.joined(separator: ", "))" : hint))
                }
                if let product = parseReportProduct(value, productPath) { report.products[line] = product }
            }
        }
        return report
    }

    private func parseReportProduct(_ node: Node, _ path: String) -> ReportProduct? {
        guard let fields = reader.mapping(node, path, allowed: ["ids", "trade_name", "description", "fossil_carbon_content"]) else { return nil }
        var product = ReportProduct()
        if let ids = fields["ids"] { product.ids = urns(ids, fields.path("ids")) }
        product.tradeName = fields.string("trade_name")
        product.description = fields.string("description")
        if let carbon = fields.double("fossil_carbon_content") {
            if !(0...1).contains(carbon) {
                reader.error(fields["fossil_carbon_content"], fields.path("fossil_carbon_content"), "kg of fossil carbon per kg of product is 0…1, found \(carbon)")
            }
            product.fossilCarbonContent = carbon
        }
        return product
    }

    /// A list of URNs (RFC 8141), as PACT wants company and product ids.
    private func urns(_ node: Node, _ path: String) -> [String] {
        guard let values = reader.stringList(node, path) else { return [] }
        for value in values where value.lowercased().wholeMatch(of: #/urn:[a-z0-9][a-z0-9-]{0,31}:.+/#) == nil {
            reader.error(node, path, "\"\(value.prefix(60))\" is not a URN; write e.g. urn:lei:5493001KJTIIGC8Y1R12 or urn:gtin:4012345000009")
        }
        return values
    }
}
