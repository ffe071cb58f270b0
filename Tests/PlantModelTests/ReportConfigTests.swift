import Foundation
import Testing
@testable import PlantModel

/// `report:` (the facts of a product footprint) is read, checked with file:line errors, and dumped back.
@Suite struct ReportConfigTests {
    static func yaml(_ report: String) -> String {
        """
        site: {id: test-site, time_zone: UTC}
        buses:
          - {id: mcc, tcp: {host: 127.0.0.1, port: 1502}}
        devices:
          - id: scale
            bus: mcc
            unit: 1
            tags:
              total: {register: "holding:0", type: float32, unit: t, kind: counter}
        lines:
          - id: lioh-1
            name: LiOH line
            product: {name: "LiOH·H2O", min_t: 0.2}
            inputs:
              - {tag: scale/total, role: product}
        report:
        \(report)
        """
    }

    static func errors(_ report: String) -> String {
        guard case .failure(let diagnostics) = ConfigLoader.load(yaml: yaml(report), file: "site.yaml") else { return "" }
        return diagnostics.description
    }

    @Test func everyKeyIsReadAndDumpedBack() throws {
        let loaded = try ConfigLoader.load(yaml: Self.yaml("""
              company_name: Example Lithium LLP
              company_ids: ["urn:lei:5493001KJTIIGC8Y1R12"]
              country: KZ
              dqi: {technological: 1.5, geographical: 1, temporal: 2}
              products:
                lioh-1: {ids: ["urn:gtin:4012345000009"], trade_name: LiOH·H2O battery grade, description: bags, fossil_carbon_content: 0}
            """)).get().config
        let report = try #require(loaded.report)
        #expect(report.companyName == "Example Lithium LLP")
        #expect(report.companyIDs == ["urn:lei:5493001KJTIIGC8Y1R12"])
        #expect(report.country == "KZ")
        #expect(report.dataQuality == DataQualityRatings(technological: 1.5, geographical: 1, temporal: 2))
        #expect(report.products["lioh-1"] == ReportProduct(ids: ["urn:gtin:4012345000009"], tradeName: "LiOH·H2O battery grade", description: "bags"))
        let again = try ConfigLoader.load(yaml: try ConfigDumper.dump(loaded), file: "dumped.yaml").get().config
        #expect(again.report == loaded.report)
    }

    @Test func badValuesNameTheirPlace() {
        let text = Self.errors("""
              country: Kazakhstan
              company_ids: ["LEI 5493001KJTIIGC8Y1R12"]
              dqi: {technological: 7, geographical: 1, temporal: 1}
              products:
                lioh-2: {trade_name: x}
            """)
        #expect(text.contains("site.yaml:17: report.country: \"Kazakhstan\" is not an ISO 3166-1 alpha-2 country code"), "\(text)")
        #expect(text.contains("report.company_ids: \"LEI 5493001KJTIIGC8Y1R12\" is not a URN"))
        #expect(text.contains("report.dqi.technological: a PACT data quality rating is 1 (best) to 5, found 7.0"))
        #expect(text.contains("report.products.lioh-2: no line \"lioh-2\" in lines:"))
    }
}
