import Testing
@testable import PlantModel

@Suite struct ExampleConfigTests {
    @Test(arguments: ["lithium-hydroxide", "hydromet-copper"])
    func exampleLoadsWithoutErrorsOrWarnings(name: String) throws {
        let result = ConfigLoader.load(yaml: try Fixtures.example(name), file: "\(name).yaml")
        let loaded = try result.get()
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.plan.buses.map(\.bus.id) == ["mcc", "field"])
        #expect(loaded.plan.mqtt.prefix == "plantgate")
        #expect(loaded.config.stateDirectory == "/var/lib/plantgate")
    }

    @Test func lithiumHydroxidePlantMatchesTheSimulatedPlant() throws {
        let plan = try ConfigLoader.load(yaml: try Fixtures.example("lithium-hydroxide")).get().plan
        let devices = plan.buses.flatMap { bus in bus.devices.map { "\(bus.bus.id):\($0.unit):\($0.device)" } }
        #expect(devices == ["mcc:1:pm-main", "mcc:3:pm-aux", "field:2:fm-intake", "field:4:fm-recycle",
                            "field:5:fm-discharge", "field:6:gas-calciner", "field:7:scale-product"])
        #expect(plan.buses.map(\.bus.link) == [.tcp(host: "127.0.0.1", port: 1502), .tcp(host: "127.0.0.1", port: 1503)])
        let line = try #require(plan.lines.first)
        #expect(line.id == "lioh-1")
        #expect(line.product.lceFactor == 0.8804)
        let energy = try #require(line.inputs.first { $0.tagPath == "pm-main/energy_import" })
        #expect(energy.toBase == 0.001)                     // Wh on the meter, kWh for the engine
        #expect(energy.counter?.resetMarker == plan.tag(path: "pm-main/energy_reset_time")?.index)
        let aux = try #require(line.inputs.first { $0.tagPath == "pm-aux/energy_import" })
        #expect(aux.toBase == 1)
        let gas = try #require(line.inputs.first { $0.role == .gasVolume })
        #expect(gas.fuel == FuelSpec(fuel: "natural_gas", ncvMJPerNm3: 35.8))
        #expect(gas.counter?.modulus == 4_294_967_296 * 0.01)   // uint32 raw × 0.01 Nm3
        let product = try #require(line.inputs.first { $0.role == .product })
        #expect(product.counter?.modulus == 4_294_967_296 * 0.001)
        let intake = try #require(line.inputs.first { $0.tagPath == "fm-intake/volume_total" })
        #expect(intake.role == .waterWithdrawal(source: .groundwater, quality: .fresh))
        #expect(intake.counter?.modulus == nil)              // overflow register carries the wraps
        #expect(plan.site.timeZone == "Asia/Almaty")
        #expect(plan.site.shiftStarts == [480, 1200])
        #expect(plan.site.factors.fuels["natural_gas"]?.value == 56.15)
    }

    @Test func summaryNamesBusesDevicesAndRequests() throws {
        let plan = try ConfigLoader.load(yaml: try Fixtures.example("lithium-hydroxide")).get().plan
        let summary = plan.summary
        #expect(summary.contains("2 buses, 7 devices"))
        #expect(summary.contains("bus mcc (tcp 127.0.0.1:1502)"))
        #expect(summary.contains("device pm-main unit 1"))
        // Reset marker, both energies and reactive energy (after an 8-register hole) in one request.
        #expect(summary.contains("FC03 3199+24"))
    }

    @Test func hydrometCopperOverridesAndSubsetsProfileTags() throws {
        let plan = try ConfigLoader.load(yaml: try Fixtures.example("hydromet-copper")).get().plan
        #expect(plan.tag(path: "pm-rectifier/power_total")?.interval == .milliseconds(250))
        #expect(Set(plan.tags.filter { $0.device == "pm-pumps" }.map(\.name)) == ["power_total", "energy_import", "power_factor", "frequency"])
        let rectifier = try #require(plan.buses.first?.devices.first)
        #expect(rectifier.groups.map(\.interval) == [.milliseconds(250), .seconds(1)])
        #expect(rectifier.groupsDue(atTick: 1).map(\.interval) == [.milliseconds(250)])
        #expect(rectifier.groupsDue(atTick: 4).count == 2)
        #expect(plan.lines.first?.product.lceFactor == nil)
        #expect(plan.mqtt.publish.deadband == .percent(0.5))
    }

    @Test(arguments: ["lithium-hydroxide", "hydromet-copper"])
    func dumpThenLoadGivesTheSameModel(name: String) throws {
        let first = try ConfigLoader.load(yaml: try Fixtures.example(name)).get()
        let text = try ConfigDumper.dump(first.config)
        let second = try ConfigLoader.load(yaml: text, file: "dumped.yaml").get()
        #expect(second.config == first.config)
        #expect(second.plan.tags == first.plan.tags)
        #expect(second.plan.lines == first.plan.lines)
    }
}
