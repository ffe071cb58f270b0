import Foundation
import Testing
import TestSupport

/// The ledger with the real daemon, a real broker and the simulated plant on an accelerated clock (480×:
/// an hour closes every 7.5 real seconds), across a SIGKILL: what the box published and what it exports
/// verify with `plantgate ledger verify` and with the independent Python verifier.
@Suite("Ledger with the real daemon (accelerated plant clock)", .serialized, .timeLimit(.minutes(4)))
struct LedgerDaemonTests {
    static let hourTopic = "plantgate/\(GroundTruthBench.site)/lines/lioh-1/periods/hour"

    @Test func publishedAndExportedRecordsVerifyAcrossASIGKILL() async throws {
        let bench = try await GroundTruthBench(day: DateComponents(year: 2026, month: 3, day: 10), leadSeconds: 4, seed: 21, pollInterval: "200ms")
        let keyTopic = try await TopicRecorder(port: bench.broker.port, filter: "plantgate/\(GroundTruthBench.site)/ledger/key")
        defer { keyTopic.stop() }
        do {
            try await check(bench, keyTopic)
        } catch {
            await bench.shutDown()
            throw error
        }
        await bench.shutDown()
    }

    private func check(_ bench: GroundTruthBench, _ keyTopic: TopicRecorder) async throws {
        try bench.startDaemon()
        let firstRun = await eventually(timeout: .seconds(60), pollInterval: .milliseconds(100)) { bench.recorder.messages(on: Self.hourTopic).count >= 2 }
        #expect(firstRun, "log: \(bench.logs)")
        await bench.killDaemon()
        try bench.startDaemon()
        let before = bench.recorder.messages(on: Self.hourTopic).count
        let secondRun = await eventually(timeout: .seconds(60), pollInterval: .milliseconds(100)) { bench.recorder.messages(on: Self.hourTopic).count >= before + 2 }
        #expect(secondRun, "log: \(bench.logs)")
        #expect(await bench.stopDaemon() == 0, "log: \(bench.logs)")

        let state = bench.directory.appendingPathComponent("state")
        let keyMode = try FileManager.default.attributesOfItem(atPath: state.appendingPathComponent("ledger.key").path)[.posixPermissions] as? Int
        #expect(keyMode == 0o600)

        let plantgate = BuiltExecutable.path("plantgate")
        let verify = try await ProcessRunner.run(plantgate, ["ledger", "verify", "-c", bench.configPath], timeout: .seconds(60))
        #expect(verify.exitCode == 0, "\(verify.standardOutput)\(verify.standardError)")
        let key = try await ProcessRunner.run(plantgate, ["ledger", "key", "-c", bench.configPath])
        let keyID = try #require(key.outputLines.first?.split(separator: " ").last.map(String.init), "\(key.standardOutput)\(key.standardError)")
        #expect(verify.standardOutput.contains("signed by key id \(keyID)"))
        let published = try #require(keyTopic.objects(on: "plantgate/\(GroundTruthBench.site)/ledger/key").last)
        #expect(published["key_id"] as? String == keyID)
        let late = try await TopicRecorder(port: bench.broker.port, filter: "plantgate/\(GroundTruthBench.site)/ledger/key")
        defer { late.stop() }
        #expect(await eventually(timeout: .seconds(10)) { late.messages.contains { $0.retained && $0.text.contains(keyID) } })

        let export = try await ProcessRunner.run(plantgate, ["ledger", "export", "-c", bench.configPath], timeout: .seconds(60))
        #expect(export.exitCode == 0, "\(export.standardError)")
        let exportPath = bench.directory.appendingPathComponent("export.jsonl").path
        try export.standardOutput.write(toFile: exportPath, atomically: true, encoding: .utf8)
        let python = try await ProcessRunner.run("/usr/bin/python3", [IndependentScript.path, exportPath, keyID], timeout: .seconds(60))
        #expect(python.exitCode == 0, "\(python.standardOutput)\(python.standardError)")
        let fromFile = try await ProcessRunner.run(plantgate, ["ledger", "verify", exportPath], timeout: .seconds(60))
        #expect(fromFile.exitCode == 0, "\(fromFile.standardOutput)\(fromFile.standardError)")

        // Every period record on MQTT is byte for byte an entry of the ledger (the signed form: a record is
        // published only once its entry is stored, so a SIGKILL cannot lose a published one), and the
        // events of the run are there in order: key made, start, (SIGKILL leaves no stop), start, stop.
        let entries = Set(export.outputLines.dropFirst())
        let hours = bench.recorder.messages(on: Self.hourTopic)
        #expect(hours.count >= 4)
        for message in hours {
            // A record replayed after the restart carries the outbox's leading "hist":true, mark (not signed).
            let text = message.text.hasPrefix("{\"hist\":true,") ? "{" + message.text.dropFirst(13) : message.text
            #expect(entries.contains(text), "not in the ledger: \(message.text)")
        }
        #expect(hours.allSatisfy { $0.text.contains(",\"ledger\":{\"v\":1,\"site\":\"\(GroundTruthBench.site)\"") && $0.text.contains("\"sig\":\"") })
        let events = export.outputLines.compactMap { line -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return object["event"] as? String
        }
        #expect(events.filter { ["key-created", "start", "stop", "config-change", "factor-change"].contains($0) } == ["key-created", "start", "start", "stop"],
                "events: \(events)")
        // The first hour after each start covers only part of it: its coverage gap is an entry.
        #expect(events.contains("coverage-gap"), "events: \(events)")

        // The capture of every period topic, as a subscriber saw it, verifies against the published key.
        let publicKey = try #require(published["public_key"] as? String)
        let capturePath = bench.directory.appendingPathComponent("capture.txt").path
        try bench.recorder.messages.map { "\($0.topic) \($0.text)" }.joined(separator: "\n").write(toFile: capturePath, atomically: true, encoding: .utf8)
        let capture = try await ProcessRunner.run(plantgate, ["ledger", "verify", "--records", "--key", publicKey, capturePath], timeout: .seconds(60))
        #expect(capture.exitCode == 0, "\(capture.standardOutput)\(capture.standardError)")

        let csv = try await ProcessRunner.run(plantgate, ["ledger", "export", "-c", bench.configPath, "--csv"], timeout: .seconds(60))
        let rows = csv.outputLines
        #expect(rows.first?.hasPrefix("n,line,period,start,end,label,seq,reasons,factor_ids,entry_hash,") == true)
        #expect(rows.count - 1 == export.outputLines.filter { $0.contains("\"kind\":\"period\"") }.count)
    }
}

/// docs/verify-ledger.py, the verifier that uses no plantgate code.
enum IndependentScript {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/verify-ledger.py").path
}
