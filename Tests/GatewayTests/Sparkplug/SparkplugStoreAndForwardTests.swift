import Foundation
import MQTT
import Testing
import TestSupport

/// Sparkplug through the durable outbox: what the host could not get live follows the next births,
/// flagged historical, in order, nothing lost (plantgated, `plantgate sim`, real mosquitto).
@Suite("Sparkplug store and forward: broker outage and primary host", .serialized)
struct SparkplugStoreAndForwardTests {
    @Test func aThirtySecondBrokerOutageIsReplayedHistoricalAfterTheBirths() async throws {
        let rig = try await SparkplugSimRig.start()
        try #require(await rig.waitForBirths(1), "log: \(rig.daemon.log)")
        try #require(await eventually(timeout: .seconds(20)) { !rig.recorder.messages("DDATA", device: "pm-main").isEmpty },
                     "no live DDATA; log: \(rig.daemon.log)")

        // The outage: SIGKILL, 30 s, and the same port again.
        await rig.broker.kill()
        let down = Date()
        #expect(try await eventually(timeout: .seconds(25)) { (try await rig.sparkplugStatus())?["stored_records"] as? Int ?? 0 > 0 },
                "status does not show kept values")
        try await Task.sleep(for: .seconds(30) - .seconds(Date().timeIntervalSince(down)))
        // NBIRTH and DDATA are QoS 0 and not retained: the host must be subscribed again before the edge node
        // reconnects, so the daemon waits (SIGSTOP) until the recorder has its SUBACKs.
        let acknowledged = rig.recorder.subscriptionsAcknowledged
        rig.daemon.child.signal(SIGSTOP)
        let up = Date()
        try await rig.broker.start()
        let resubscribed = await eventually(timeout: .seconds(15)) { rig.recorder.subscriptionsAcknowledged >= acknowledged + 2 }
        rig.daemon.child.signal(SIGCONT)
        try #require(resubscribed, "the recorder did not subscribe again after the broker came back")

        try #require(await rig.waitForBirths(2), "log: \(rig.daemon.log)")
        try #require(await eventually(timeout: .seconds(30)) {
            let last = rig.recorder.messages.lastIndex { $0.type == "NBIRTH" } ?? 0
            let data = rig.recorder.sequenced(after: last).filter { $0.type == "DDATA" && $0.device == "pm-main" }
            guard data.count >= 2 else { return false }
            return try await rig.decoder.decode(data.map(\.payload)).contains { $0.metrics.allSatisfy { !$0.is_historical } }
        }, "no live DDATA after the replay; log: \(rig.daemon.log)")
        // JSON raw values of the same samples come back too (hist): every change in the outage, away from its edges.
        let window = down.addingTimeInterval(1)...up.addingTimeInterval(-1)
        _ = await eventually(timeout: .seconds(20)) { rig.powerChanges(in: window).count >= 10 }  // the JSON replay may still be arriving
        let expected = rig.powerChanges(in: window)
        #expect(expected.count >= 10, "the simulator's power hardly changed: \(expected.count) changes")
        try await rig.expectReplay(of: expected)
        #expect(rig.daemon.log.contains("stored values replayed"), "log: \(rig.daemon.log)")
        #expect(await eventually(timeout: .seconds(10)) { (try? await rig.sparkplugStatus())??["stored_records"] as? Int == 0 })
        await rig.stop()
    }

    @Test func whileThePrimaryHostIsOfflineNothingIsLiveAndItsBacklogFollowsItsReturn() async throws {
        let stateTopic = "spBv1.0/STATE/scada-1"
        // The scripted host: retained STATE through the broker, newer timestamps each time.
        func hostState(_ recorder: SparkplugRecorder, online: Bool) throws {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            _ = try recorder.client.publish(topic: stateTopic, text: #"{"online": \#(online), "timestamp": \#(now)}"#,
                                            qos: .atLeastOnce, retain: true)
        }
        let rig = try await SparkplugSimRig.start(primaryHost: "scada-1") { try hostState($0, online: true) }
        try #require(await rig.waitForBirths(1), "log: \(rig.daemon.log)")
        try #require(await eventually(timeout: .seconds(20)) { !rig.recorder.messages("DDATA", device: "pm-main").isEmpty },
                     "no live DDATA; log: \(rig.daemon.log)")

        try hostState(rig.recorder, online: false)
        let offline = Date()
        try #require(await eventually(timeout: .seconds(10)) { !rig.recorder.messages("NDEATH").isEmpty }, "log: \(rig.daemon.log)")
        let afterDeath = rig.recorder.messages.count
        try await Task.sleep(for: .seconds(20))
        let whileOffline = rig.recorder.messages.dropFirst(afterDeath).filter { $0.topic.hasPrefix("spBv1.0/g1/") }
        #expect(!whileOffline.contains { ["NBIRTH", "DBIRTH", "DDATA", "NDATA"].contains($0.type) },
                "published while the primary host was offline: \(whileOffline.map(\.topic))")
        let status = try await rig.sparkplugStatus()
        #expect(status?["primary_host_online"] as? Bool == false && status?["stored_records"] as? Int ?? 0 > 0, "status: \(String(describing: status))")
        let text = try await ProcessRunner.run(
            BuiltExecutable.path("plantgate"), ["status", "--socket", rig.gateway.controlSocket])
        #expect(text.standardOutput.contains("primary host scada-1 offline") && text.standardOutput.contains("DDATA records kept for replay"),
                "status: \(text.standardOutput)")

        try hostState(rig.recorder, online: true)
        let online = Date()
        try #require(await rig.waitForBirths(2), "log: \(rig.daemon.log)")
        try #require(await eventually(timeout: .seconds(30)) {
            let last = rig.recorder.messages.lastIndex { $0.type == "NBIRTH" } ?? 0
            let data = rig.recorder.sequenced(after: last).filter { $0.type == "DDATA" && $0.device == "pm-main" }
            return try await rig.decoder.decode(data.map(\.payload)).contains { $0.metrics.allSatisfy { !$0.is_historical } }
        }, "no live DDATA after the replay; log: \(rig.daemon.log)")
        let window = offline.addingTimeInterval(1)...online.addingTimeInterval(-1)
        _ = await eventually(timeout: .seconds(20)) { rig.powerChanges(in: window).count >= 5 }
        let expected = rig.powerChanges(in: window)
        #expect(expected.count >= 5, "the simulator's power hardly changed: \(expected.count) changes")
        try await rig.expectReplay(of: expected)
        await rig.stop()
    }
}
