import Foundation
import TestSupport
import Testing

/// `plantgate check` accepts exactly what `plantgated` accepts: every broken config of the suite, and
/// those only the daemon's start-up used to find, runs through both and gets the same verdict; a
/// refused config is refused by the daemon with exit 78 and the same first error, file:line.
@Suite("plantgate check and plantgated agree", .serialized)
struct CheckDaemonParityTests {
    static let brokenDirectory = PlantgateBinary.packageRoot.appendingPathComponent("Tests/PlantModelTests/BrokenConfigs")

    static let valid = """
        site: {id: parity, time_zone: UTC}
        buses:
          - {id: mcc, tcp: {host: 127.0.0.1, port: 1502}}
        devices:
          - id: pm-main
            bus: mcc
            unit: 1
            interval: 1 s
            tags:
              energy: {register: "holding:3203", type: int64, unit: Wh, kind: counter}
        """

    /// Name and bytes of each config, the broken fixtures first.
    static func configs() throws -> [(String, Data)] {
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: brokenDirectory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var configs = try fixtures.map { ($0, try Data(contentsOf: brokenDirectory.appendingPathComponent($0))) }
        configs.append(("site-id-too-long.yaml", Data(valid.replacingOccurrences(of: "id: parity", with: "id: " + String(repeating: "s", count: 65_500)).utf8)))
        configs.append(("latin1-byte.yaml", Data(Array(valid.utf8).replacingFirst("unit: 1", with: Array("unit: ".utf8) + [0xB9]))))
        configs.append(("valid-with-spaced-duration.yaml", Data(valid.utf8)))
        return configs
    }

    @Test func everyConfigGetsTheSameVerdictFromCheckAndFromTheDaemon() async throws {
        let directory = try temporaryDirectory("plantgate-parity")
        defer { try? FileManager.default.removeItem(at: directory) }
        var accepted = 0
        for (name, bytes) in try Self.configs() {
            let scratch = directory.appendingPathComponent(name.replacingOccurrences(of: ".yaml", with: ""))
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            // Where the daemon may write, and a broker port nobody listens on (it keeps retrying, as on a plant).
            var text = bytes
            let port = try FreePort.tcp()
            let written = String(decoding: bytes, as: UTF8.self)
            text.append(Data("\ncontrol_socket: \(scratch.path)/control.sock\n".utf8))
            if !written.contains("\nstate_dir:") { text.append(Data("state_dir: \(scratch.path)/state\n".utf8)) }
            if !written.contains("\nmqtt:") { text.append(Data("mqtt: {port: \(port)}\n".utf8)) }
            let file = scratch.appendingPathComponent("plantgate.yaml")
            try text.write(to: file)

            let check = try await PlantgateBinary.run(["check", "--quiet", file.path])
            #expect(check.exitCode == 0 || check.exitCode == 78, "\(name): check exit \(check.exitCode)")

            let daemon = try BuiltExecutable("plantgated", arguments: ["--config", file.path], directory: scratch)
            let socket = scratch.appendingPathComponent("control.sock").path
            // Settled: exited, or answering on its control socket (status exits 0 or 1, not 69).
            let settled = await eventually(timeout: .seconds(20)) {
                if !daemon.child.isRunning { return true }
                guard let status = try? await PlantgateBinary.run(["status", "--socket", socket]) else { return false }
                return status.exitCode != 69
            }
            #expect(settled, "\(name): the daemon neither started nor exited; log: \(daemon.log)")
            let daemonAccepts = daemon.child.isRunning
            if daemonAccepts {
                accepted += 1
                #expect(await daemon.terminate() == 0)
            }
            #expect(daemonAccepts == (check.exitCode == 0),
                    "\(name): check exit \(check.exitCode) (\(check.standardError)) but the daemon \(daemonAccepts ? "runs it" : "exits \(daemon.child.exitCode ?? -1)"); log: \(daemon.log)")
            if !daemonAccepts {
                #expect(daemon.child.exitCode == 78, "\(name): log: \(daemon.log)")
                let firstError = check.standardError.split(separator: "\n").first.map(String.init) ?? "?"
                #expect(daemon.log.contains(firstError), "\(name): the daemon does not say \(firstError); log: \(daemon.log)")
            }
        }
        #expect(accepted == 1, "only the valid config runs")
    }
}

extension Array where Element == UInt8 {
    /// This text with the first `text` replaced by `bytes` (to plant a byte that is not UTF-8).
    func replacingFirst(_ text: String, with bytes: [UInt8]) -> [UInt8] {
        let needle = Array(text.utf8)
        guard let start = indices.first(where: { self[$0...].starts(with: needle) }) else { return self }
        return Array(self[..<start]) + bytes + Array(self[(start + needle.count)...])
    }
}
