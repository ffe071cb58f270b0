import Foundation
import Testing
@testable import PlantModel

/// A config with several mistakes gives each one once, in one run, with file:line; a mistake's
/// consequences elsewhere (a reference to a device that failed to parse) are not reported again.
@Suite struct MultiMistakeTests {
    static let head = """
        site: {id: test-site, time_zone: UTC}
        buses:
          - id: mcc
            tcp: {host: 127.0.0.1, port: 1502}

        """
    static let grid = """
        factors:
          grid: {id: g, kgco2e_per_kwh: 0.5, source: test}
        """

    static let cases: [(name: String, yaml: String, expected: [String])] = [
        ("malformed register, unknown bus, unknown tag", head + """
            devices:
              - id: pm-main
                bus: mc
                unit: 1
                tags:
                  freq: {register: "holding:31x9", type: float32, unit: Hz}
                  energy: {register: "holding:3203", type: int64, unit: kWh, kind: counter}
            lines:
              - id: line-1
                product: {name: Cu cathode}
                inputs:
                  - {tag: pm-main/energi, role: electricity_import}
                  - {tag: pm-main/freq, role: active_power}

            """ + grid, [
            #"plantgate.yaml:7: devices[0].bus: unknown bus "mc"; did you mean "mcc"?"#,
            #"plantgate.yaml:10: devices[0].tags.freq.register: expected "holding|input|coil|discrete:ADDRESS" with ADDRESS 0…65535 (0-based PDU address), found "holding:31x9""#,
            #"plantgate.yaml:16: lines[0].inputs[0].tag: device pm-main has no tag "energi"; did you mean "energy"?"#,
        ]),
        ("duplicate device id with a profile", head + """
            devices:
              - {id: pm-main, bus: mcc, unit: 1, profile: schneider-pm5xxx}
              - {id: pm-main, bus: mcc, unit: 2, profile: schneider-pm5xxx}

            """ + grid, [
            #"plantgate.yaml:7: devices[1].id: duplicate device id "pm-main" (also devices[0] at line 6); ids must be unique"#,
        ]),
        ("device missing its unit, used by a line; an entry after it keeps its own index", head + """
            devices:
              - {id: pm-main, bus: mcc, profile: schneider-pm5xxx}
              - {id: pm-aux, bus: mcx, unit: 2, profile: schneider-pm5xxx}
            lines:
              - id: line-1
                product: {name: Cu cathode}
                inputs:
                  - {tag: pm-main/energy_import, role: electricity_import}

            """ + grid, [
            #"plantgate.yaml:6: devices[0]: missing required key "unit"; add `unit: 1`"#,
            #"plantgate.yaml:7: devices[1].bus: unknown bus "mcx"; did you mean "mcc"?"#,
        ]),
        ("unknown profile whose tags a line uses", head + """
            devices:
              - {id: pm-main, bus: mcc, unit: 1, profile: schneider-pm5000}
            lines:
              - id: line-1
                product: {name: Cu cathode}
                inputs:
                  - {tag: pm-main/energy_import, role: electricity_import}
                  - {tag: pm-main/nosuch, role: active_power}

            """ + grid, [
            #"plantgate.yaml:6: devices[0].profile: unknown profile "schneider-pm5000"; did you mean "schneider-pm5xxx"?"#,
        ]),
        ("bus that failed to parse, its device, a bad type used by a line", """
            site: {id: test-site, time_zone: UTC}
            buses:
              - id: mcc
                tcp: {host: 127.0.0.1, port: 70000}
            devices:
              - id: pm-main
                bus: mcc
                unit: 1
                tags:
                  energy: {register: "holding:3203", type: int46, unit: kWh, kind: counter}
                  power: {register: "holding:3059", type: float32, unit: kW}
            lines:
              - id: line-1
                product: {name: Cu cathode}
                inputs:
                  - {tag: pm-main/energy, role: electricity_import}
                  - {tag: pm-main/power, role: electricity_import}

            """ + grid, [
            "plantgate.yaml:4: buses[0].tcp.port: 70000 is out of range; must be 1…65535 (a TCP port)",
            #"plantgate.yaml:10: devices[0].tags.energy.type: unknown type "int46"; did you mean "int16"?"#,
            #"plantgate.yaml:17: lines[0].inputs[1].role: pm-main/power: unit "kW" does not fit role electricity_import, which needs a counter in kWh (Wh, kWh, MWh, GWh accepted); kW is a rate — use the meter's totalizer/energy counter tag, or role active_power for a power tag"#,
        ]),
    ]

    @Test(arguments: cases)
    func everyMistakeOnceWithItsLine(name: String, yaml: String, expected: [String]) {
        guard case .failure(let diagnostics) = ConfigLoader.load(yaml: yaml) else {
            Issue.record("\(name): the config loaded")
            return
        }
        #expect(diagnostics.all.map(\.description) == expected, "\(name)")
    }

    @Test func brokenFixturesGiveOneErrorEach() throws {
        // Every fixture in BrokenConfigs/ holds exactly one mistake.
        for (fixture, _) in BrokenConfigTests.cases {
            if case .failure(let diagnostics) = ConfigLoader.load(yaml: try Fixtures.broken(fixture)) {
                #expect(diagnostics.errors.count == 1, "\(fixture): \(diagnostics.errors.map(\.description))")
            }
        }
    }
}
