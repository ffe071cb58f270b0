import Foundation
import TestSupport
import Testing

/// `plantgate scan --sunspec` against the simulator's SunSpec inverter (meter-shelf, bus mcc, unit 5).
@Suite("plantgate scan --sunspec")
struct SunSpecScanTests {
    @Test func listsTheModelsToTheEndMarkerAndTheInverterTags() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sunspec-scan-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (sim, port) = try await ProfileProbeTests.startShelf(scratch)
        defer { sim.signal(SIGKILL) }

        let text = try await PlantgateBinary.run(["scan", "--sunspec", "--tcp", "127.0.0.1:\(port)", "--units", "5"])
        #expect(text.exitCode == 0, "\(text.standardError)")
        #expect(text.standardOutput.contains("\"SunS\" at 40000"))
        #expect(text.standardOutput.contains("plantgate SIM-PV-20K, version 1.0.0, serial SN0000042"), "common model 1 nameplate")
        let rows = text.outputLines.map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains { $0.first == "1" && $0.contains("common") && $0.contains("65") && $0.last == "40002" })
        #expect(rows.contains { $0.first == "103" && $0.contains("50") && $0.last == "40069" })
        #expect(text.standardOutput.contains("end model (0xFFFF) reached after 2 models"))
        #expect(text.outputLines.contains { $0.contains("ac_energy:") && $0.contains("holding:40093") && $0.contains("holding:40095") })

        let json = try await PlantgateBinary.run(["scan", "--sunspec", "--tcp", "127.0.0.1:\(port)", "--units", "5", "--json"])
        let report = try #require(try PlantgateBinary.json(json) as? [String: Any])
        #expect(report["base"] as? Int == 40_000 && report["complete"] as? Bool == true)
        #expect((report["common"] as? [String: Any])?["serial"] as? String == "SN0000042")
        let models = try #require(report["models"] as? [[String: Any]])
        #expect(models.compactMap { $0["id"] as? Int } == [1, 103])
        #expect(models.compactMap { $0["length"] as? Int } == [65, 50])

        // A Siemens PAC on unit 1 is no SunSpec device: a finding, with the bases tried.
        let none = try await PlantgateBinary.run(["scan", "--sunspec", "--tcp", "127.0.0.1:\(port)", "--units", "1"])
        #expect(none.exitCode == 1)
        #expect(none.standardError.contains("40000, 0, 50000"))
    }

    @Test func theProbedTagsReadAPlausibleInverter() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sunspec-probe-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (sim, port) = try await ProfileProbeTests.startShelf(scratch)
        defer { sim.signal(SIGKILL) }
        let example = try String(contentsOf: PlantgateBinary.packageRoot.appendingPathComponent("Deploy/examples/meter-shelf.yaml"), encoding: .utf8)
        let config = scratch.appendingPathComponent("plantgate.yaml").path
        try example.replacingOccurrences(of: "port: 1502", with: "port: \(port)").replacingOccurrences(of: "port: 1503", with: "port: \(port + 1)")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let result = try await PlantgateBinary.run(["probe", "--device", "pv-inverter", "-c", config, "--json"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let report = try #require(try PlantgateBinary.json(result) as? [String: Any])
        let tags = try #require(report["tags"] as? [[String: Any]])
        func value(_ name: String) -> Double? { tags.first { $0["tag"] as? String == name }?["value"] as? Double }
        #expect(tags.allSatisfy { $0["quality"] as? String == "good" })
        #expect(abs((value("ac_power") ?? 0) - 20_000) < 4_000)
        #expect(abs((value("ac_frequency") ?? 0) - 50) < 0.1)
        #expect(abs((value("ac_voltage_an") ?? 0) - 230.9) < 2)
        #expect((value("ac_energy") ?? 0) > 0)
    }
}
