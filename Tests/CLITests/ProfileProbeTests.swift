import Foundation
import TestSupport
import Testing

/// `plantgate probe --profile NAME` against the simulator's meter-shelf, which serves each Siemens profile.
@Suite("plantgate probe --profile")
struct ProfileProbeTests {
    /// Starts `plantgate sim meter-shelf` on two consecutive free ports; returns it and bus mcc's port.
    static func startShelf(_ scratch: URL) async throws -> (ChildProcess, Int) {
        let output = scratch.appendingPathComponent("sim.out").path
        for _ in 0..<3 {
            let port = try FreePort.pair()
            let child = try ChildProcess.spawn(PlantgateBinary.path, ["sim", "meter-shelf", "--listen", "127.0.0.1:\(port)", "--speed", "60"],
                                               outputPath: output, errorPath: output)
            let up = await eventually(timeout: .seconds(10)) { !child.isRunning || (FreePort.isAccepting(port) && FreePort.isAccepting(port + 1)) }
            if up && child.isRunning { return (child, port) }
            child.signal(SIGKILL)
        }
        throw TestSupportError("plantgate sim meter-shelf did not start: \((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")")
    }

    /// Every tag of the profile, read once through `probe --profile --json`: name → (value, quality, unit).
    static func probe(_ profile: String, port: Int, unit: Int) async throws -> [String: (value: Double?, quality: String, unit: String)] {
        let result = try await PlantgateBinary.run(["probe", "--profile", profile, "--tcp", "127.0.0.1:\(port)", "--unit", "\(unit)", "--json"])
        #expect(result.exitCode == 0, "\(profile): \(result.standardError)")
        let report = try #require(try PlantgateBinary.json(result) as? [String: Any])
        let tags = try #require(report["tags"] as? [[String: Any]])
        var out: [String: (value: Double?, quality: String, unit: String)] = [:]
        for tag in tags {
            out[tag["tag"] as? String ?? "?"] = (tag["value"] as? Double, tag["quality"] as? String ?? "?", tag["unit"] as? String ?? "")
        }
        return out
    }

    @Test func readsEveryTagOfEachSiemensProfileFromTheSimulator() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("profile-probe-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (sim, port) = try await Self.startShelf(scratch)
        defer { sim.signal(SIGKILL) }
        let profiles = try #require(try PlantgateBinary.json(try await PlantgateBinary.run(["profiles", "--json"])) as? [[String: Any]])
        func tagNames(_ name: String) -> Set<String> {
            Set((profiles.first { $0["name"] as? String == name }?["tags"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        }
        let shelf: [(profile: String, port: Int, unit: Int)] = [
            ("siemens-pac3200", port, 1), ("siemens-pac4200", port, 2), ("siemens-mag6000", port + 1, 3), ("siemens-mass6000", port + 1, 4),
        ]
        for meter in shelf {
            let tags = try await Self.probe(meter.profile, port: meter.port, unit: meter.unit)
            let expected = tagNames(meter.profile)
            #expect(!expected.isEmpty)
            #expect(Set(tags.keys) == expected, "\(meter.profile) reads every profile tag")
            for (name, tag) in tags {
                #expect(tag.quality == "good", "\(meter.profile)/\(name) is \(tag.quality)")
                // An incomer only imports: its export counter stays at 0; everything else is live and positive.
                let floor = name == "energy_export" ? 0.0 : .leastNonzeroMagnitude
                #expect((tag.value ?? -1) >= floor, "\(meter.profile)/\(name) = \(String(describing: tag.value)) \(tag.unit)")
            }
            if let volts = tags["voltage_an"]?.value { #expect(abs(volts - 230.94) < 5, "\(meter.profile) voltage_an \(volts)") }
        }
        let pac = try await Self.probe("siemens-pac4200", port: port, unit: 2)
        #expect(abs((pac["frequency"]?.value ?? 0) - 50) < 0.1)
        let perPhase = ["power_a", "power_b", "power_c"].compactMap { pac[$0]?.value }.reduce(0, +)
        #expect(abs(perPhase - 1_200_000) < 1_200_000 * 0.4, "the incomer draws about 1.2 MW: \(perPhase) W")
        let mass = try await Self.probe("siemens-mass6000", port: port + 1, unit: 4)
        let rho = try #require(mass["density"]?.value), volume = try #require(mass["volume_flow"]?.value), kgs = try #require(mass["mass_flow"]?.value)
        #expect(abs(kgs - volume * rho) < kgs * 1e-3, "mass flow = volume flow × density")
        #expect(abs(volume * 3600 - 12) < 12 * 0.4, "about 12 m3/h: \(volume * 3600)")
    }

    @Test func anUnknownProfileIsAUsageErrorListingTheProfiles() async throws {
        let result = try await PlantgateBinary.run(["probe", "--profile", "siemens-pac9999", "--tcp", "127.0.0.1:1"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("siemens-pac4200"))
    }
}
