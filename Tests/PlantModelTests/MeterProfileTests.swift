import ModbusProtocol
import Testing
@testable import PlantModel

@Suite struct MeterProfileTests {
    func tag(_ profile: String, _ name: String) -> TagConfig? {
        MeterProfile.named(profile)?.tags.first { $0.name == name }
    }

    @Test func theBuiltInProfilesExist() {
        #expect(MeterProfile.builtIn.map(\.name) == ["schneider-pm5xxx", "eastron-sdm630", "eh-promag", "gas-ek", "belt-scale",
                                                     "cathode-scale", "siemens-pac3200", "siemens-pac4200", "siemens-mag6000", "siemens-mass6000", "ew-rectifier"])
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

    /// Offsets as printed in the Siemens manuals cited in MeterProfile+Siemens.swift.
    @Test func siemensProfilesFollowTheirManuals() {
        let pac3200 = MeterProfile.named("siemens-pac3200")?.tags ?? []
        #expect(pac3200.count == 21)
        #expect(tag("siemens-pac3200", "voltage_an")?.register == RegisterAddress(table: .holding, address: 1))
        #expect(tag("siemens-pac3200", "voltage_ca")?.register?.address == 11)
        #expect(tag("siemens-pac3200", "current_c")?.register?.address == 17)
        #expect(tag("siemens-pac3200", "power_b")?.register?.address == 27 && tag("siemens-pac3200", "power_b")?.unit == "W")
        #expect(tag("siemens-pac3200", "power_factor_c")?.register?.address == 41)
        #expect(pac3200.allSatisfy { $0.type == .float32 && $0.order == .abcd })
        #expect(tag("siemens-pac4200", "frequency")?.register?.address == 55)
        let energy = tag("siemens-pac4200", "energy_import")
        #expect(energy?.register?.address == 801 && energy?.type == .float64 && energy?.unit == "Wh" && energy?.kind == .counter)
        #expect(tag("siemens-pac4200", "energy_export")?.register?.address == 809)
        #expect(tag("siemens-pac4200", "reactive_import")?.register?.address == 817)
        let flow = tag("siemens-mag6000", "volume_flow")
        #expect(flow?.register == RegisterAddress(table: .holding, address: 3002) && flow?.type == .float32 && flow?.unit == "m3/s")
        #expect(tag("siemens-mag6000", "totalizer_1")?.register?.address == 3014 && tag("siemens-mag6000", "totalizer_1")?.type == .float64)
        #expect(tag("siemens-mag6000", "totalizer_2")?.register?.address == 3018)
        #expect(tag("siemens-mass6000", "mass_flow")?.register?.address == 3000 && tag("siemens-mass6000", "density")?.register?.address == 3004)
        #expect(tag("siemens-mass6000", "temperature")?.register?.address == 3006)
    }

    @Test func listingShowsEveryProfileAndTag() {
        let listing = MeterProfile.listing()
        for profile in MeterProfile.builtIn {
            #expect(listing.contains("\(profile.name):"))
            for tag in profile.tags { #expect(listing.contains(tag.name)) }
        }
    }
}
