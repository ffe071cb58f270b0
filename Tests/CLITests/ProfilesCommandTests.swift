import Foundation
import TestSupport
import Testing

@Suite("plantgate profiles")
struct ProfilesCommandTests {
    @Test func listsEveryBuiltInProfileWithItsTags() async throws {
        let result = try await PlantgateBinary.run(["profiles"])
        #expect(result.exitCode == 0)
        for name in ["schneider-pm5xxx", "eastron-sdm630", "eh-promag", "gas-ek", "belt-scale"] {
            #expect(result.standardOutput.contains("\(name):"), "listing lacks \(name)")
        }
        let powerTotal = result.outputLines.first { $0.contains("power_total") && $0.contains("holding:3059") }
        #expect(powerTotal?.contains("float32") == true)
        #expect(powerTotal?.contains("kW") == true)
    }

    @Test func oneProfileShowsOnlyItsTagsWithOrder() async throws {
        let result = try await PlantgateBinary.run(["profiles", "eh-promag"])
        #expect(result.exitCode == 0)
        #expect(!result.standardOutput.contains("schneider-pm5xxx"))
        let flow = try #require(result.outputLines.first { $0.contains("volume_flow") })
        #expect(flow.split(separator: " ").map(String.init) == ["volume_flow", "holding:2008", "float32", "CDAB", "m3/h", "gauge"])
    }

    @Test func jsonListsTagsWithRegisterTypeOrderAndUnit() async throws {
        let result = try await PlantgateBinary.run(["profiles", "--json"])
        #expect(result.exitCode == 0)
        let profiles = try #require(try PlantgateBinary.json(result) as? [[String: Any]])
        #expect(profiles.compactMap { $0["name"] as? String }.contains("gas-ek"))
        let sdm = try #require(profiles.first { $0["name"] as? String == "eastron-sdm630" })
        let tags = try #require(sdm["tags"] as? [[String: Any]])
        let frequency = try #require(tags.first { $0["name"] as? String == "frequency" })
        #expect(frequency["register"] as? String == "input:70")
        #expect(frequency["type"] as? String == "float32")
        #expect(frequency["order"] as? String == "ABCD")
        #expect(frequency["unit"] as? String == "Hz")
    }

    @Test func unknownProfileIsAUsageErrorListingTheKnownOnes() async throws {
        let result = try await PlantgateBinary.run(["profiles", "schneider"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("schneider-pm5xxx"))
    }
}
