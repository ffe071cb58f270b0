import Testing
@testable import PlantModel

@Suite struct SunSpecTests {
    /// A register map: the words at each address; reads of unmapped addresses fail as an exception would.
    struct Device {
        var words: [Int: UInt16] = [:]

        mutating func put(_ address: Int, _ values: [UInt16]) {
            for (k, value) in values.enumerated() { words[address + k] = value }
        }

        func read(_ address: Int, _ count: Int) -> [UInt16]? {
            let values = (address..<(address + count)).compactMap { words[$0] }
            return values.count == count ? values : nil
        }

        /// "SunS" at `base`, then the models (id, length), then the end model.
        static func chain(base: Int, _ models: [(UInt16, UInt16)], end: Bool = true) -> Device {
            var device = Device()
            device.put(base, SunSpecChain.marker)
            var address = base + 2
            for (id, length) in models {
                device.put(address, [id, length] + [UInt16](repeating: 0, count: Int(length)))
                address += 2 + Int(length)
            }
            if end { device.put(address, [0xFFFF, 0]) }
            return device
        }
    }

    @Test(arguments: [40_000, 0, 50_000])
    func walksTheModelsToTheEndMarkerAtEachBase(base: Int) throws {
        let device = Device.chain(base: base, [(1, 66), (103, 50), (160, 48)])
        let found = try SunSpecChain.discover(read: device.read)
        #expect(found.base == base)
        #expect(found.complete)
        #expect(found.models.map(\.id) == [1, 103, 160])
        #expect(found.models.map(\.length) == [66, 50, 48])
        #expect(found.models.map(\.address) == [base + 2, base + 70, base + 122])
        #expect(found.models[1].name == "inverter, three phase")
    }

    @Test func noMarkerNamesTheBasesTried() {
        var device = Device()
        device.put(40_000, [0x1234, 0x5678])
        #expect(throws: SunSpecChain.WalkError.noMarker(tried: [40_000, 0, 50_000])) { try SunSpecChain.discover(read: device.read) }
        let message = SunSpecChain.WalkError.noMarker(tried: SunSpecChain.bases).description
        #expect(message.contains("40000") && message.contains("50000") && message.contains("SunS"))
    }

    @Test func aChainWithoutEndStopsAtTheUnreadableModelAndSaysSo() throws {
        let device = Device.chain(base: 40_000, [(1, 65), (101, 50)], end: false)
        let found = try SunSpecChain.discover(read: device.read)
        #expect(!found.complete)
        #expect(found.models.map(\.id) == [1, 101])
    }

    @Test func aChainRunningPastTheLastAddressStops() throws {
        var device = Device.chain(base: 50_000, [(1, 65)], end: false)
        device.put(50_069, [64_001, 60_000])   // a length that would run past 65535
        let found = try SunSpecChain.discover(read: device.read)
        #expect(!found.complete)
        #expect(found.models.count == 2)
    }

    @Test func commonModelNameplateDecodesItsStrings() throws {
        let data = RegisterEncoder.words(text: "Fronius", length: 16) + RegisterEncoder.words(text: "Symo 10.0-3-M", length: 16)
            + [UInt16](repeating: 0, count: 8) + RegisterEncoder.words(text: "0.3.30.2", length: 8) + RegisterEncoder.words(text: "31478126", length: 16)
        let common = try #require(SunSpecCommon(data: data))
        #expect(common == SunSpecCommon(data: data))
        #expect(common.manufacturer == "Fronius" && common.model == "Symo 10.0-3-M" && common.version == "0.3.30.2" && common.serial == "31478126")
        #expect(SunSpecCommon(data: Array(data.prefix(40))) == nil)
    }

    @Test func scaleFactorIsAPowerOfTenAndNotImplementedIsNaN() {
        #expect(SunSpecScale.apply(2_500, type: .int16, factor: 1) == 25_000)
        #expect(SunSpecScale.apply(2_309, type: .uint16, factor: UInt16(bitPattern: -1)) == 230.9)
        #expect(SunSpecScale.apply(5_001, type: .uint16, factor: UInt16(bitPattern: -2)) == 50.01)
        #expect(SunSpecScale.apply(-32_768, type: .int16, factor: 0).isNaN)
        #expect(SunSpecScale.apply(65_535, type: .uint16, factor: 0).isNaN)
        #expect(SunSpecScale.apply(10, type: .int16, factor: 0x8000).isNaN)
    }

    @Test func inverterTagsFollowModel103Offsets() {
        let tags = SunSpecInverterPoints.tags(modelAddress: 40_069)
        let power = tags.first { $0.name == "ac_power" }
        #expect(power?.register?.address == 40_083 && power?.scaleFactor?.address == 40_084 && power?.type == .int16)
        let energy = tags.first { $0.name == "ac_energy" }
        #expect(energy?.register?.address == 40_093 && energy?.scaleFactor?.address == 40_095 && energy?.type == .uint32 && energy?.kind == .counter)
        #expect(tags.first { $0.name == "ac_current" }?.scaleFactor?.address == 40_075)
    }

    /// A one-inverter plant whose device `pv` has these tag lines (already indented under `tags:`).
    static func config(tags: String) -> String {
        """
        site: {id: pv}
        mqtt: {host: 127.0.0.1}
        buses:
          - {id: mcc, tcp: {host: 127.0.0.1, port: 1502}}
        devices:
          - id: pv
            bus: mcc
            unit: 1
            tags:
        \(tags)
        """
    }

    static var scanned: String {
        SunSpecInverterPoints.yaml(modelAddress: 40_069).split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
    }

    @Test func theScanSnippetCompilesAndTheFactorIsAppliedAtEveryRead() throws {
        let loaded = try ConfigLoader.load(yaml: Self.config(tags: Self.scanned)).get()
        let power = try #require(loaded.plan.tag(path: "pv/ac_power"))
        #expect(power.decode.registerCount == 2 && power.decode.scaleFactorOffset == 1)
        let energy = try #require(loaded.plan.tag(path: "pv/ac_energy"))
        #expect(energy.decode.registerCount == 3 && energy.kind == .counter)
        // The device rescales between two polls: the same power reads the same.
        for words: [UInt16] in [[20_150, 0], [2_015, 1]] {
            let reading = words.withUnsafeBufferPointer { RegisterDecoder.decode(power.decode, words: $0, at: 0) }
            #expect(reading.quality == .good && reading.value == 20_150)
        }
        let wh = [UInt16(0x0001), 0x86A0, 0xFFFE].withUnsafeBufferPointer { RegisterDecoder.decode(energy.decode, words: $0, at: 0) }
        #expect(wh.value == 1_000)   // 100,000 × 10^-2
    }

    @Test func aScaleFactorBeforeTheValueIsRefusedWithTheFix() {
        let yaml = Self.config(tags: "      ac_power: {register: \"holding:40083\", type: int16, scale_factor: \"holding:40080\", unit: W}")
        let messages = Fixtures.messages(yaml)
        #expect(messages.contains { $0.contains("scale_factor") && $0.contains("holding:40080") && $0.contains("after the value") })
    }
}
