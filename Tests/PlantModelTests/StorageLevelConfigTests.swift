import Testing
@testable import PlantModel

/// `role: storage_level` inputs: a pond's level tag with its level → volume strapping table.
@Suite struct StorageLevelConfigTests {
    /// A config whose only line input is line 16; `input` is pasted there.
    static func yaml(_ input: String, levelUnit: String = "m") -> String {
        """
        site: {id: test-site, time_zone: UTC}
        buses:
          - id: mcc
            tcp: {host: 127.0.0.1, port: 1502}
        devices:
          - id: pond-1
            bus: mcc
            unit: 1
            interval: 1s
            tags:
              level: {register: "holding:100", type: float32, unit: \(levelUnit)}
        lines:
          - id: line-1
            product: {name: Cu cathode}
            inputs:
              \(input)
        factors:
          grid: {id: g, kgco2e_per_kwh: 0.5, source: test}
        """
    }

    @Test func levelInputCarriesItsTableIntoThePlan() throws {
        let plan = try ConfigLoader.load(yaml: Self.yaml(
            "- {tag: pond-1/level, role: storage_level, strapping: [[0, 0], [1.5, 2400], [3, 5400]]}", levelUnit: "cm")).get().plan
        let input = try #require(plan.lines.first?.inputs.first)
        #expect(input.role == .storageLevel && input.counter == nil)
        #expect(input.toBase == 0.01)
        let table = try #require(input.strapping)
        #expect(table.levels == [0, 1.5, 3] && table.volumes == [0, 2400, 5400])
        // 2.0 m lies a third of the way from 1.5 m (2400 m3) to 3 m (5400 m3).
        #expect(abs(table.volume(atLevel: 2.0).volume - 3400) < 1e-9 && !table.volume(atLevel: 2.0).outside)
    }

    @Test func dumpThenLoadKeepsTheTable() throws {
        let first = try ConfigLoader.load(yaml: Self.yaml("- {tag: pond-1/level, role: storage_level, strapping: [[0, 0], [1.5, 2400], [3, 5400]]}")).get().config
        let second = try ConfigLoader.load(yaml: try ConfigDumper.dump(first), file: "dumped.yaml").get().config
        let table = try #require(second.lines.first?.inputs.first?.strapping)
        #expect(table == first.lines.first?.inputs.first?.strapping && table.volumes == [0, 2400, 5400])
    }

    @Test func levelsOutsideTheTableAreClampedAndSaySo() throws {
        let table = try StrappingTable.make([(0.5, 100), (1, 600), (2, 1600)]).get()
        #expect(table.volume(atLevel: 0.1) == (100, true))
        #expect(table.volume(atLevel: 9) == (1600, true))
        #expect(table.volume(atLevel: 1) == (600, false))
        #expect(table.volume(atLevel: 0.75) == (350, false))
    }

    @Test(arguments: [
        ("- {tag: pond-1/level, role: storage_level, strapping: [[0, 0], [2, 900], [2, 1000]]}",
         "plantgate.yaml:16: lines[0].inputs[0].strapping[2]: levels must strictly increase: pair 2 has level 2.0 after 2.0"),
        ("- {tag: pond-1/level, role: storage_level, strapping: [[0, 500], [1, 400]]}",
         "plantgate.yaml:16: lines[0].inputs[0].strapping[1]: volume falls from 500.0 to 400.0 m3 at pair 1"),
        ("- {tag: pond-1/level, role: storage_level, strapping: [[0, 0]]}",
         "plantgate.yaml:16: lines[0].inputs[0].strapping: a strapping table needs at least two [level, volume_m3] pairs"),
        ("- {tag: pond-1/level, role: storage_level, strapping: [[0, 0], [1, 2, 3]]}",
         "plantgate.yaml:16: lines[0].inputs[0].strapping[1]: expected a [level_m, volume_m3] pair"),
        ("- {tag: pond-1/level, role: storage_level}",
         #"plantgate.yaml:16: lines[0].inputs[0]: missing required key "strapping"; add `strapping: [[0, 0], [1.5, 2400], [3.0, 5200]]`"#),
        ("- {tag: pond-1/level, role: water_recycle, strapping: [[0, 0], [1, 10]]}",
         "plantgate.yaml:16: lines[0].inputs[0].strapping: strapping applies only to role storage_level; remove it"),
    ])
    func badTableIsRefusedWithLineAndFix(input: String, expected: String) {
        let messages = Fixtures.messages(Self.yaml(input))
        #expect(messages.contains { $0.hasPrefix(expected) }, "got: \(messages)")
    }

    @Test func levelInPercentIsRefusedWithTheAcceptedUnits() {
        let messages = Fixtures.messages(Self.yaml("- {tag: pond-1/level, role: storage_level, strapping: [[0, 0], [1, 10]]}", levelUnit: #""%""#))
        #expect(messages.contains { $0.contains(#"unit "%" does not fit role storage_level"#) && $0.contains("mm, cm, m") }, "got: \(messages)")
    }
}
