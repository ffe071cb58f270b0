import Testing
@testable import PlantModel

/// `lines[].electrowinning`: the tankhouse and its rectifier and cathode tags.
@Suite struct ElectrowinningConfigTests {
    /// A config whose line's `electrowinning:` block is `block` (at line 19).
    static func yaml(_ block: String) -> String {
        CopperLineYAML.text(meter: .init(id: "rect", unit: 2, profile: "ew-rectifier"), inputs: ["{tag: scale/total, role: product}"],
                            key: "electrowinning", block: block)
    }

    @Test func blockBecomesTheLinesDCAndCathodeInputs() throws {
        let plan = try ConfigLoader.load(yaml: Self.yaml("{metal: cu, cells: 96, current: rect/dc_current, voltage: rect/dc_voltage, cathode: scale/total}")).get().plan
        let line = try #require(plan.lines.first)
        #expect(line.electrowinning == ElectrowinningSpec(metal: .cu, cells: 96))
        #expect(line.inputs.map(\.role) == [.product, .dcCurrent, .dcVoltage, .cathode])
        #expect(line.inputs[1].counter == nil && line.inputs[2].counter == nil && line.inputs[3].counter != nil)
        #expect(line.inputs[3].toBase == 1)
    }

    @Test func aHarvestCountBecomesItsOwnInputThatCountsNothing() throws {
        let plan = try ConfigLoader.load(yaml: Self.yaml(
            "{metal: cu, cells: 96, current: rect/dc_current, energy: rect/dc_energy, cathode: scale/total, harvests: scale/harvests}")).get().plan
        let line = try #require(plan.lines.first)
        #expect(line.inputs.map(\.role) == [.product, .dcCurrent, .dcEnergy, .cathode, .harvestCount])
        #expect(line.inputs[4].tagPath == "scale/harvests" && line.inputs[4].counter == nil && line.inputs[4].toBase == 1)
    }

    @Test func dumpThenLoadKeepsTheBlock() throws {
        let first = try ConfigLoader.load(yaml: Self.yaml(
            "{metal: ni, cells: 40, current: rect/dc_current, energy: rect/dc_energy, cathode: scale/total, harvests: scale/harvests}")).get().config
        let text = try ConfigDumper.dump(first)
        let second = try ConfigLoader.load(yaml: text, file: "dumped.yaml").get().config
        #expect(second.lines == first.lines, "dumped: \(text)")
        #expect(second.lines.first?.electrowinning == ElectrowinningSpec(metal: .ni, cells: 40))
    }

    @Test(arguments: [
        ("{metal: zn, cells: 96, current: rect/dc_current, energy: rect/dc_energy, cathode: scale/total}",
         "plantgate.yaml:19: lines[0].electrowinning.metal"),
        ("{metal: cu, cells: 0, current: rect/dc_current, energy: rect/dc_energy, cathode: scale/total}",
         "plantgate.yaml:19: lines[0].electrowinning.cells"),
        ("{metal: cu, cells: 96, current: rect/dc_current, cathode: scale/total}",
         "plantgate.yaml:19: lines[0].electrowinning: an electrowinning line needs the rectifier's DC energy"),
        ("{metal: cu, cells: 96, current: rect/dc_current, energy: rect/dc_energy, voltage: rect/dc_voltage, cathode: scale/total}",
         "plantgate.yaml:19: lines[0].electrowinning.voltage: give either energy"),
        ("{metal: cu, cells: 96, current: rect/dc_power, energy: rect/dc_energy, cathode: scale/total}",
         #"plantgate.yaml:19: lines[0].electrowinning.current: rect/dc_power: unit "kW" does not fit role electrowinning.current"#),
        ("{metal: cu, cells: 96, current: rect/dc_current, energy: rect/dc_energy, cathode: scale/totl}",
         #"plantgate.yaml:19: lines[0].electrowinning.cathode: device scale has no tag "totl""#),
        ("{metal: cu, cells: 96, current: rect/dc_current, energy: rect/dc_energy, cathode: scale/total, harvests: scale/total}",
         #"plantgate.yaml:19: lines[0].electrowinning.harvests: scale/total: unit "t" does not fit role electrowinning.harvests"#),
        ("{metal: cu, cells: 96, current: rect/dc_current, energy: rect/dc_energy, cathode: scale/total, harvest: scale/harvests}",
         "plantgate.yaml:19: lines[0].electrowinning.harvest"),
    ])
    func mistakesAreNamedWithTheirPlace(block: String, expected: String) {
        let messages = Fixtures.messages(Self.yaml(block))
        #expect(messages.contains { $0.hasPrefix(expected) }, "got: \(messages)")
    }
}
