import Foundation
import TestSupport
import Testing

@Suite("plantgate check")
struct CheckCommandTests {
    @Test(arguments: [
        ("lithium-hydroxide", ["pm-main", "pm-aux", "fm-intake", "fm-recycle", "fm-discharge", "gas-calciner", "scale-product"]),
        ("hydromet-copper", ["pm-rectifier", "pm-pumps", "fm-raw", "fm-raffinate", "fm-discharge", "scale-cathode"]),
    ])
    func exampleConfigIsValidAndItsSummaryNamesEveryDevice(example: String, devices: [String]) async throws {
        let file = PlantgateBinary.packageRoot.appendingPathComponent("Deploy/examples/\(example).yaml").path
        let result = try await PlantgateBinary.run(["check", file])
        #expect(result.exitCode == 0, "stderr: \(result.standardError)")
        for device in devices {
            #expect(result.standardOutput.contains("device \(device) unit"), "summary lacks \(device)")
        }
        #expect(result.standardOutput.contains("\(devices.count) devices"))
        #expect(result.standardOutput.contains("is valid"))
    }

    @Test func configOptionIsTheSameAsTheArgument() async throws {
        let file = PlantgateBinary.packageRoot.appendingPathComponent("Deploy/examples/hydromet-copper.yaml").path
        let result = try await PlantgateBinary.run(["check", "-c", file])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("device pm-rectifier unit 1"))
    }

    @Test func brokenConfigExitsWithConfigErrorAndNamesFileAndLine() async throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("broken.yaml", """
            site: {id: test-site, time_zone: UTC}
            buses:
              - id: mcc
                tcp: {host: 127.0.0.1, port: 1502}
            devices:
              - id: pm-main
                bus: mcc
                unit: 1
                tags:
                  freq: {register: "holding:3109", type: flaot32, unit: Hz}
                  energy: {register: "holding:3203", type: int46, unit: Wh}
            """)
        let result = try await PlantgateBinary.run(["check", file])
        #expect(result.exitCode == 78)
        #expect(result.standardError.contains("broken.yaml:10: devices[0].tags.freq.type:"), "stderr: \(result.standardError)")
        #expect(result.standardError.contains("flaot32") && result.standardError.contains("int46"))
        #expect(result.standardError.contains("broken.yaml:11:"), "every error is reported, not only the first")
        #expect(!result.standardOutput.contains("is valid"))
    }

    @Test func countsOfOneAreSingular() async throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("one.yaml", """
            site: {id: test-site}
            buses: [{id: mcc, tcp: {host: 127.0.0.1, port: 1502}}]
            devices: [{id: pm-main, bus: mcc, unit: 1, tags: {energy: {register: "holding:3203", type: int64, unit: kWh, kind: counter}}}]
            lines: [{id: line-1, product: {name: Cu cathode}, inputs: [{tag: pm-main/energy, role: electricity_import}]}]
            """)
        let result = try await PlantgateBinary.run(["check", file])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("site test-site (UTC): 1 bus, 1 device, 1 tag, 1 line, 1.0 requests/s"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("device pm-main unit 1: 1 tag, "))
    }

    @Test func threeMistakesComeOutInOneRun() async throws {
        let scratch = try ScratchDirectory()
        let file = try scratch.write("three.yaml", """
            site: {id: test-site}
            buses: [{id: mcc, tcp: {host: 127.0.0.1, port: 1502}}]
            devices:
              - {id: pm-main, bus: mc, unit: 1, tags: {
                  freq: {register: "holding:31x9", type: float32, unit: Hz},
                  energy: {register: "holding:3203", type: int64, unit: kWh, kind: counter}}}
            lines: [{id: line-1, product: {name: Cu cathode}, inputs: [{tag: pm-main/energi, role: electricity_import}]}]
            """)
        let result = try await PlantgateBinary.run(["check", file])
        #expect(result.exitCode == 78)
        #expect(result.standardError == """
            three.yaml:4: devices[0].bus: unknown bus "mc"; did you mean "mcc"?
            three.yaml:5: devices[0].tags.freq.register: expected "holding|input|coil|discrete:ADDRESS" with ADDRESS 0…65535 (0-based PDU address), found "holding:31x9"
            three.yaml:7: lines[0].inputs[0].tag: device pm-main has no tag "energi"; did you mean "energy"?
            3 errors, 0 warnings
            configuration \(file) is invalid

            """)
    }

    @Test func missingFileIsAConfigError() async throws {
        let result = try await PlantgateBinary.run(["check", "/nonexistent/plantgate.yaml"])
        #expect(result.exitCode == 78)
        #expect(result.standardError.contains("/nonexistent/plantgate.yaml"))
    }

    @Test func fileTwiceIsAUsageError() async throws {
        let result = try await PlantgateBinary.run(["check", "a.yaml", "--config", "b.yaml"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("either as FILE or with --config"))
    }
}
