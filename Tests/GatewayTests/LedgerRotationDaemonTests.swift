import Foundation
import Modbus
import Testing
import TestSupport

/// `plantgate ledger rotate-key` with the real daemon running (it rotates and publishes the new key
/// retained) and stopped (the CLI rotates under the state lock; the daemon publishes at its next start).
@Suite("Ledger key rotation with the real daemon", .serialized, .timeLimit(.minutes(3)))
struct LedgerRotationDaemonTests {
    @Test func rotatingWhileRunningAndWhileStoppedKeepsOneVerifiableChain() async throws {
        let setup = try await GatewaySetup.start(site: "ledger-rot")
        defer { setup.meter.stop() }
        let keyTopic = "plantgate/ledger-rot/ledger/key"
        let keys = try await TopicRecorder(port: setup.broker.port, filter: keyTopic)
        defer { keys.stop() }
        let plantgate = BuiltExecutable.path("plantgate")
        let config = setup.configPath.path
        func publishedIDs() -> [String] { keys.objects(on: keyTopic).compactMap { $0["key_id"] as? String } }
        func rotate() async throws -> (ProcessResult, String) {
            let result = try await ProcessRunner.run(plantgate, ["ledger", "rotate-key", "-c", config], timeout: .seconds(30))
            let id = result.outputLines.first { $0.hasPrefix("new key id: ") }.map { String($0.dropFirst(12)) } ?? ""
            return (result, id)
        }

        var daemon = try setup.startDaemon()
        #expect(await eventually(timeout: .seconds(20)) { publishedIDs().count == 1 }, "log: \(daemon.log)")
        let first = try #require(publishedIDs().first)

        let (running, second) = try await rotate()
        #expect(running.exitCode == 0, "\(running.standardOutput)\(running.standardError)")
        #expect(running.standardOutput.contains("rotated by the running plantgated") && running.standardOutput.contains("old key id: \(first)"))
        #expect(await eventually(timeout: .seconds(10)) { publishedIDs().last == second }, "published: \(publishedIDs())")
        #expect(await daemon.terminate() == 0, "log: \(daemon.log)")

        let (stopped, third) = try await rotate()
        #expect(stopped.exitCode == 0, "\(stopped.standardOutput)\(stopped.standardError)")
        #expect(stopped.standardOutput.contains("plantgated is not running: rotated here") && stopped.standardOutput.contains("old key id: \(second)"))
        daemon = try setup.startDaemon()
        #expect(await eventually(timeout: .seconds(20)) { publishedIDs().last == third }, "log: \(daemon.log)")
        // A late subscriber gets the current key, retained.
        let late = try await TopicRecorder(port: setup.broker.port, filter: keyTopic)
        defer { late.stop() }
        #expect(await eventually(timeout: .seconds(10)) { late.messages.contains { $0.retained && $0.text.contains(third) } })
        #expect(await daemon.terminate() == 0, "log: \(daemon.log)")

        let state = setup.directory.appendingPathComponent("state")
        for retired in [first, second] {
            let path = state.appendingPathComponent("ledger.key." + retired.replacingOccurrences(of: "ed25519:", with: "")).path
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        }
        let verify = try await ProcessRunner.run(plantgate, ["ledger", "verify", "-c", config], timeout: .seconds(30))
        #expect(verify.exitCode == 0, "\(verify.standardOutput)\(verify.standardError)")
        #expect(verify.standardOutput.contains("signed by key id \(first) then \(second) then \(third)"), "\(verify.standardOutput)")
        let key = try await ProcessRunner.run(plantgate, ["ledger", "key", "-c", config])
        #expect(key.outputLines.first == "key id:     \(third)", "\(key.standardOutput)")
        let export = try await ProcessRunner.run(plantgate, ["ledger", "export", "-c", config], timeout: .seconds(30))
        let exportPath = setup.directory.appendingPathComponent("export.jsonl").path
        try export.standardOutput.write(toFile: exportPath, atomically: true, encoding: .utf8)
        let python = try await ProcessRunner.run("/usr/bin/python3", [IndependentScript.path, exportPath, first], timeout: .seconds(30))
        #expect(python.exitCode == 0, "\(python.standardOutput)\(python.standardError)")
        await setup.broker.stop()
    }
}
