import Testing
@testable import PlantModel

@Suite struct BusLoadTests {
    func config(baud: Int, devices: Int) -> String {
        var yaml = """
        site: {id: s}
        buses:
          - id: rs485-a
            serial: {device: /dev/ttyUSB0, baud: \(baud), parity: E}
        devices:

        """
        for unit in 1...devices {
            yaml += "  - {id: sdm-\(unit), bus: rs485-a, unit: \(unit), interval: 1s, profile: eastron-sdm630}\n"
        }
        return yaml
    }

    @Test func slowSerialBusIsAWarningNotAnError() throws {
        // 12 SDM630s at 1 s on 9600 baud: 24 requests, ~60 ms of wire time each.
        let loaded = try ConfigLoader.load(yaml: config(baud: 9600, devices: 12)).get()
        let warning = try #require(loaded.warnings.first)
        #expect(warning.severity == .warning)
        #expect(warning.description.hasPrefix("plantgate.yaml:3: warning: buses[0]: bus rs485-a needs "))
        #expect(warning.description.contains(" s per 1 s cycle"))
    }

    @Test func fastEnoughSerialBusHasNoWarning() throws {
        let loaded = try ConfigLoader.load(yaml: config(baud: 115_200, devices: 2)).get()
        #expect(loaded.warnings.isEmpty)
    }
}
