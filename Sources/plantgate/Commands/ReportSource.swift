import Foundation
import PlantgateConsole
import PlantModel
import Report

/// What `plantgate report` reads from the configuration: the lines, and the `report:` facts a footprint needs.
enum ReportSource {
    static func load(config path: String) throws -> LoadedConfig {
        switch ConfigFile.load(path) {
        case .success(let loaded):
            return loaded
        case .failure(let diagnostics):
            Console.error(diagnostics.description)
            throw Console.fail(CLIFailure("configuration \(path) is invalid", status: PlantgateExit.config))
        }
    }

    /// The company and product of `line` from `report:`; names every missing key with an example.
    static func identity(_ config: PlantConfig, line: String, file: String) throws -> FootprintIdentity {
        let report = config.report ?? ReportConfig()
        let product = report.products[line] ?? ReportProduct()
        var missing: [String] = []
        if report.companyName == nil { missing.append("report.company_name: Example Lithium LLP") }
        if report.companyIDs.isEmpty { missing.append("report.company_ids: [\"urn:lei:5493001KJTIIGC8Y1R12\"]") }
        if report.country == nil { missing.append("report.country: KZ") }
        if product.ids.isEmpty { missing.append("report.products.\(line).ids: [\"urn:gtin:4012345000009\"]") }
        if product.tradeName == nil { missing.append("report.products.\(line).trade_name: LiOH·H2O battery grade") }
        guard missing.isEmpty, let company = report.companyName, let country = report.country, let tradeName = product.tradeName else {
            throw Console.fail(CLIFailure("\(file): a PACT footprint needs who makes the product and what it is; add to the configuration:\n  "
                + missing.joined(separator: "\n  ") + "\n(see docs/report.md)", status: PlantgateExit.config))
        }
        let lineName = config.lines.first { $0.id == line }?.product.name ?? line
        return FootprintIdentity(companyName: company, companyIDs: report.companyIDs, productIDs: product.ids, productName: tradeName,
                                 productDescription: product.description ?? lineName, country: country,
                                 fossilCarbonContent: product.fossilCarbonContent, dataQuality: report.dataQuality)
    }

    /// Now, RFC 3339 UTC to the second.
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
