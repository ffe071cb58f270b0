import Foundation
import Modbus
import Synchronization
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The real daemon writes the events that explain its figures: a meter that stops answering and comes
/// back (one entry each way), a grid factor changed by a reload and by a start on a changed file; the
/// ledger with those entries verifies with both verifiers.
@Suite("Ledger events from the real daemon", .serialized, .timeLimit(.minutes(3)))
struct LedgerEventsDaemonTests {
    @Test func outagesAndFactorChangesAreLedgerEntries() async throws {
        let gateway = try await GatewayHarness.start()
        let handler = SwitchableMeter()  // KnownMeter that can stop answering (Sparkplug tests)
        let meter = try ModbusTCPServer(port: 0, handler: handler)
        meter.start()
        defer { meter.stop() }
        let (directory, configPath) = (gateway.directory, gateway.configPath)
        func writeConfig(grid: String) throws {
            try gateway.writeConfig(gatewayConfig(site: "ledger-ev", brokerPort: gateway.broker.port, meterPort: meter.port, directory: directory)
                .replacingOccurrences(of: "{id: test-grid, kgco2e_per_kwh: 0.8, source: test, vintage: 2024}", with: grid))
        }
        try writeConfig(grid: "{id: test-grid, kgco2e_per_kwh: 0.8, source: test, vintage: 2024}")
        let plantgate = BuiltExecutable.path("plantgate")
        func events() async -> [[String: Any]] {
            guard let export = try? await ProcessRunner.run(plantgate, ["ledger", "export", "-c", configPath.path], timeout: .seconds(30)) else { return [] }
            return export.outputLines.dropFirst().compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .filter { $0["event"] != nil }
        }
        func named(_ name: String) async -> [[String: Any]] { await events().filter { $0["event"] as? String == name } }

        var daemon = try gateway.startDaemon()
        #expect(await eventually(timeout: .seconds(20), pollInterval: .milliseconds(400)) { await !named("start").isEmpty }, "log: \(daemon.log)")
        // Silent: one device-down, however many polls fail; after an outage of 2 s or more, one device-up.
        handler.answering.store(false, ordering: .relaxed)
        #expect(await eventually(timeout: .seconds(20), pollInterval: .milliseconds(400)) { await !named("device-down").isEmpty }, "log: \(daemon.log)")
        try await Task.sleep(for: .seconds(2))  // the outage itself, not a wait for a result
        handler.answering.store(true, ordering: .relaxed)
        #expect(await eventually(timeout: .seconds(20), pollInterval: .milliseconds(400)) { await !named("device-up").isEmpty }, "log: \(daemon.log)")
        let down = await named("device-down")
        let up = try #require(await named("device-up").first)
        #expect(down.count == 1)
        #expect(down.first?["device"] as? String == "pm" && (down.first?["reason"] as? String)?.isEmpty == false)
        let inputs = (up["inputs"] as? [[String: String]]) ?? []
        #expect(inputs.contains { $0["line"] == "l1" && $0["tag"] == "pm/energy" }, "\(up)")
        #expect((up["down_s"] as? Double ?? 0) >= 1, "\(up)")

        // A reload with another grid factor.
        try writeConfig(grid: "{id: test-grid-2025, kgco2e_per_kwh: 0.5, source: test, vintage: 2025}")
        daemon.child.signal(SIGHUP)
        #expect(await eventually(timeout: .seconds(20), pollInterval: .milliseconds(400)) { await !named("factor-change").isEmpty }, "log: \(daemon.log)")
        #expect(await daemon.terminate() == 0, "log: \(daemon.log)")
        // A start on a file changed while the daemon was stopped.
        try writeConfig(grid: "{id: test-grid-2026, kgco2e_per_kwh: 0.45, source: test, vintage: 2026}")
        daemon = try gateway.startDaemon()
        #expect(await eventually(timeout: .seconds(20), pollInterval: .milliseconds(400)) { await named("factor-change").count >= 2 }, "log: \(daemon.log)")
        #expect(await daemon.terminate() == 0, "log: \(daemon.log)")

        let all = await events()
        let sequence = all.compactMap { $0["event"] as? String }.filter { !["coverage-gap", "device-down", "device-up"].contains($0) }
        #expect(sequence == ["key-created", "start", "config-change", "factor-change", "stop", "start", "factor-change", "stop"], "\(sequence)")
        let changes = all.filter { $0["event"] as? String == "factor-change" }
        let grids = changes.map { change -> [String] in
            let old = change["old"] as? [String: Any], new = change["new"] as? [String: Any]
            return [change["line"] as? String ?? "", change["role"] as? String ?? "", "\(old?["id"] ?? "")", "\(old?["value"] ?? "")",
                    "\(new?["id"] ?? "")", "\(new?["value"] ?? "")"]
        }
        #expect(grids == [["l1", "grid", "test-grid", "0.8", "test-grid-2025", "0.5"], ["l1", "grid", "test-grid-2025", "0.5", "test-grid-2026", "0.45"]])

        let verify = try await ProcessRunner.run(plantgate, ["ledger", "verify", "-c", configPath.path], timeout: .seconds(30))
        #expect(verify.exitCode == 0, "\(verify.standardOutput)\(verify.standardError)")
        let export = try await ProcessRunner.run(plantgate, ["ledger", "export", "-c", configPath.path], timeout: .seconds(30))
        let exportPath = directory.appendingPathComponent("export.jsonl").path
        try export.standardOutput.write(toFile: exportPath, atomically: true, encoding: .utf8)
        let python = try await ProcessRunner.run("/usr/bin/python3", [IndependentScript.path, exportPath], timeout: .seconds(30))
        #expect(python.exitCode == 0, "\(python.standardOutput)\(python.standardError)")
        await gateway.broker.stop()
    }
}
