import Testing
@testable import PlantModel

@Suite struct MeterProfileTests {
    func tag(_ profile: String, _ name: String) -> TagConfig? {
        MeterProfile.named(profile)?.tags.first { $0.name == name }
    }

    @Test func theFiveSimulatorProfilesExist() {
        #expect(MeterProfile.builtIn.map(\.name) == ["schneider-pm5xxx", "eastron-sdm630", "eh-promag", "gas-ek", "belt-scale"])
        #expect(MeterProfile.named("schneider-pm5xxx")?.tags.count == 24)
        #expect(MeterProfile.named("eastron-sdm630")?.tags.count == 17)
    }

    @Test func registersUnitsAndOrdersFollowThePlantContract() {
        let pm = tag("schneider-pm5xxx", "energy_import")
        #expect(pm?.register == RegisterAddress(table: .holding, address: 3203) && pm?.type == .int64 && pm?.unit == "Wh")
        #expect(tag("schneider-pm5xxx", "power_factor")?.transform == .pf4q)
        #expect(tag("schneider-pm5xxx", "energy_reset_time")?.register?.address == 3199)
        #expect(tag("schneider-pm5xxx", "demand_peak")?.register?.address == 3769)
        let sdm = tag("eastron-sdm630", "power_total")
        #expect(sdm?.register == RegisterAddress(table: .input, address: 52) && sdm?.unit == "W")
        let flow = tag("eh-promag", "volume_flow")
        #expect(flow?.order == .cdab && flow?.register?.address == 2008 && flow?.unit == "m3/h")
        let total = tag("eh-promag", "volume_total")
        #expect(total?.register?.address == 2609 && total?.sumOf == 2 && total?.unit == "m3")
        #expect(tag("eh-promag", "system_condition")?.type == .int16)
        let gas = tag("gas-ek", "volume_corrected")
        #expect(gas?.type == .uint32 && gas?.scale == 0.01 && gas?.unit == "Nm3")
        let belt = tag("belt-scale", "total")
        #expect(belt?.type == .uint32 && belt?.scale == 0.001 && belt?.unit == "t")
    }

    @Test func listingShowsEveryProfileAndTag() {
        let listing = MeterProfile.listing()
        for profile in MeterProfile.builtIn {
            #expect(listing.contains("\(profile.name):"))
            for tag in profile.tags { #expect(listing.contains(tag.name)) }
        }
    }
}
