import Foundation
import Ledger
import PlantModel
import Report
import Testing

/// The PACT footprint from the figures: per kilogram, decimals as strings, primary share from estimates.
@Suite("PACT product footprint")
struct ProductFootprintTests {
    static let identity = FootprintIdentity(companyName: "Example Lithium LLP", companyIDs: ["urn:lei:5493001KJTIIGC8Y1R12"],
                                            productIDs: ["urn:gtin:4012345000009"], productName: "LiOH·H2O battery grade",
                                            productDescription: "Lithium hydroxide monohydrate, battery grade", country: "KZ")

    static func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func scope1And2PerKilogramWithThePrimaryShare() throws {
        var fixture = ReportFixture()
        // 80 MWh at 0.8 kg/kWh = 64 t, half of it estimated; 2.8 t from gas; 20 t of product.
        try fixture.day("2026-03-10", electricity: 80_000, product: 20, est: 0.5)
        let footprint = try Self.object(try ProductFootprint.json(fixture.input(), identity: Self.identity, created: "2026-04-01T00:00:00Z"))
        let pcf = try #require(footprint["pcf"] as? [String: Any])
        #expect(pcf["pcfExcludingBiogenicUptake"] as? String == "3.34")   // (2.8 + 64) t / 20 t
        #expect(pcf["declaredUnitOfMeasurement"] as? String == "kilogram")
        #expect(pcf["declaredUnitAmount"] as? String == "1")
        // 32 of 66.8 t estimated: 100 × (1 − 32 / 66.8) = 52.10 %, written without the trailing zero.
        #expect(pcf["primaryDataShare"] as? String == "52.1")
        #expect(pcf["referencePeriodStart"] as? String == "2026-03-10T00:00:00Z")
        #expect(pcf["referencePeriodEnd"] as? String == "2026-03-11T00:00:00Z")
        #expect(pcf["ipccCharacterizationFactors"] as? [String] == ["AR6"])
        #expect(pcf["geographyCountry"] as? String == "KZ")
        #expect((pcf["boundaryProcessesDescription"] as? String)?.contains("transport") == true)
        // The grid factor is a secondary source; the gas's calorific value is not an emission factor.
        #expect(pcf["secondaryEmissionFactorSources"] as? [[String: String]] == [["name": "Ember 2024", "version": "2024"]])
        #expect(pcf["dqi"] == nil, "no ratings configured: none invented")
        #expect(footprint["specVersion"] as? String == "3.0.0")
        #expect(footprint["status"] as? String == "Active")
        #expect(UUID(uuidString: footprint["id"] as? String ?? "") != nil)
    }

    @Test func configuredRatingsBecomeTheDQI() throws {
        var fixture = ReportFixture()
        try fixture.day("2026-03-10")
        var identity = Self.identity
        identity.dataQuality = DataQualityRatings(technological: 1, geographical: 1.5, temporal: 2)
        let pcf = try #require(try Self.object(try ProductFootprint.json(fixture.input(), identity: identity, created: "2026-04-01T00:00:00Z"))["pcf"] as? [String: Any])
        #expect(pcf["dqi"] as? [String: String] == ["technologicalDQR": "1", "geographicalDQR": "1.5", "temporalDQR": "2"])
    }

    @Test func noRecordsNoFootprint() throws {
        var fixture = ReportFixture()
        try fixture.day("2026-03-10")
        #expect(throws: ProductFootprint.Refusal.self) {
            try ProductFootprint.json(fixture.input(from: "2026-05-01T00:00:00.000Z"), identity: Self.identity, created: "2026-04-01T00:00:00Z")
        }
    }

    @Test func decimalsAreDigitsOnly() {
        #expect(NumberText.decimal(0.000001234, places: 6) == "0.000001")
        #expect(NumberText.decimal(12.5) == "12.5")
        #expect(NumberText.decimal(-0.0000001) == "0")
        #expect(NumberText.decimal(3e10) == "30000000000")
    }
}
