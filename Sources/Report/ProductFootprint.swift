import Foundation
import Ledger
import PlantModel

/// The line's gate-to-gate footprint as a PACT Technical Specifications v3 `ProductFootprint`
/// (data model of spec version 3.0.x): Scope 1 and Scope 2 of the site per kilogram of the line's product,
/// from the verified period records of the range. Decimals are strings, as the specification asks.
public enum ProductFootprint {
    /// Why a footprint cannot be made from the figures.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// The footprint JSON; throws when the range has no records, no product or no Scope 2.
    public static func json(_ input: ReportInput, identity: FootprintIdentity, id: UUID = UUID(), created: String) throws -> String {
        let figures = ReportFigures(input)
        let total = figures.total
        guard !figures.days.isEmpty, let start = figures.start, let end = figures.end else {
            throw Refusal(description: "the ledger has no period records of line \(input.line.id) in this range: there is nothing to make a footprint of")
        }
        guard let tonnes = total.value(MetricID.product), tonnes > 0 else {
            throw Refusal(description: "line \(input.line.id) made no product in this range (product_t is 0 or missing): a footprint per kilogram needs production")
        }
        let market = total.metrics[MetricID.scope2Market].flatMap { $0.value == nil ? nil : $0 }
        guard let scope2 = market ?? total.metrics[MetricID.scope2Location], let scope2Value = scope2.value else {
            throw Refusal(description: "the records of line \(input.line.id) have no Scope 2 figure (scope2_lb_tco2e): configure factors.grid")
        }
        let scope1 = total.metrics[MetricID.scope1]
        let scope1Value = scope1?.value ?? 0
        let emissions = scope1Value + scope2Value
        // tCO2e per t is kgCO2e per kg.
        let perKilogram = emissions / tonnes
        let estimatedEmissions = scope1Value * (scope1?.estimated ?? 0) + scope2Value * (scope2.estimated ?? 0)
        let primaryShare = emissions > 0 ? 100 * (1 - estimatedEmissions / emissions) : 100
        let method = market == nil ? "location-based (no market-based factors configured)" : "market-based"
        let keys = input.verification.keyIDs.joined(separator: ", ")
        var comment = "Computed by plantgate from \(figures.recordCount) signed period records of line \(input.line.id) at site \(input.site) "
        comment += "(ledger key id \(keys.isEmpty ? "none" : keys); \(input.verification.summary)). "
        comment += "Scope 1: \(NumberText.decimal(scope1Value)) tCO2e; Scope 2 \(method): \(NumberText.decimal(scope2Value)) tCO2e; "
        comment += "product: \(NumberText.decimal(tonnes)) t \(input.line.product). "
        comment += "Metered coverage of the reference period (lowest of the energy, water and product inputs): \(NumberText.decimal(100 * (total.coverage ?? 0), places: 2)) %; "
        comment += "the primary data share is the share of these emissions measured rather than estimated."

        var pcf: [String: Any] = [
            "declaredUnitOfMeasurement": "kilogram",
            "declaredUnitAmount": "1",
            "productMassPerDeclaredUnit": "1",
            "referencePeriodStart": Self.dateTime(start),
            "referencePeriodEnd": Self.dateTime(end),
            "geographyCountry": identity.country,
            "boundaryProcessesDescription": boundary(input.line),
            "pcfExcludingBiogenicUptake": NumberText.decimal(perKilogram),
            "pcfIncludingBiogenicUptake": NumberText.decimal(perKilogram),
            "fossilGhgEmissions": NumberText.decimal(perKilogram),
            "fossilCarbonContent": NumberText.decimal(identity.fossilCarbonContent),
            "biogenicCarbonContent": "0",
            "ipccCharacterizationFactors": [Self.gwp(input)],
            "crossSectoralStandards": ["GHGP-Product", "PACT-3.0"],
            "exemptedEmissionsPercent": "0",
            "packagingEmissionsIncluded": false,
            "primaryDataShare": NumberText.decimal(primaryShare, places: 2),
        ]
        if let sources = secondarySources(input), !sources.isEmpty { pcf["secondaryEmissionFactorSources"] = sources }
        if let ratings = identity.dataQuality {
            pcf["dqi"] = [
                "technologicalDQR": NumberText.decimal(ratings.technological, places: 2),
                "geographicalDQR": NumberText.decimal(ratings.geographical, places: 2),
                "temporalDQR": NumberText.decimal(ratings.temporal, places: 2),
            ]
        }
        let footprint: [String: Any] = [
            "id": id.uuidString.lowercased(),
            "specVersion": "3.0.0",
            "created": created,
            "status": "Active",
            "companyName": identity.companyName,
            "companyIds": identity.companyIDs,
            "productDescription": identity.productDescription,
            "productIds": identity.productIDs,
            "productNameCompany": identity.productName,
            "comment": comment,
            "pcf": pcf,
        ]
        let data = try JSONSerialization.data(withJSONObject: footprint, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// What the footprint covers and what it leaves out, in words a buyer's LCA practitioner reads.
    static func boundary(_ line: ReportLine) -> String {
        "Gate-to-gate: line \(line.id) (\(line.name), product \(line.product)) at this site only. Included: direct emissions from fuel burned on site "
            + "(Scope 1, metered fuel times configured emission factors) and emissions from purchased electricity (Scope 2, metered "
            + "electricity times configured grid or contractual factors). Not included and not measured here: upstream raw materials "
            + "and their processing, purchased reagents, inbound and outbound transport, packaging, process (non-combustion) emissions, "
            + "and end of life. Combine with upstream data for a cradle-to-gate footprint."
    }

    /// The GWP set the records name (`gwp`), AR6 when they name none.
    static func gwp(_ input: ReportInput) -> String {
        for entry in input.entries.reversed() where entry.header.kind == "period" && entry.header.line == input.line.id {
            if let object = try? JSONSerialization.jsonObject(with: Data(entry.bytes)) as? [String: Any], let gwp = object["gwp"] as? String {
                return gwp
            }
        }
        return "AR6"
    }

    /// The emission factor sources of the line's records, as PACT secondary sources (name, version).
    static func secondarySources(_ input: ReportInput) -> [[String: String]]? {
        var seen: Set<String> = []
        var out: [[String: String]] = []
        for record in input.entries.compactMap(PeriodFigures.init(entry:))
            where record.line == input.line.id && ReportFigures.within(record.start, record.end, input.from, input.to) {
            for role in record.factors.keys.sorted() {
                // Emission factors only: calorific values and the LCE factor convert units, they emit nothing.
                guard let factor = record.factors[role], factor.unit.hasPrefix("kgCO2"), !factor.source.isEmpty,
                      seen.insert(factor.id).inserted else { continue }
                out.append(["name": factor.source, "version": factor.vintage.map(String.init) ?? factor.id])
            }
        }
        return out
    }

    /// An RFC 3339 time without zero milliseconds (`…00.000Z` → `…00Z`).
    static func dateTime(_ text: String) -> String {
        text.hasSuffix(".000Z") ? String(text.dropLast(5)) + "Z" : text
    }
}
