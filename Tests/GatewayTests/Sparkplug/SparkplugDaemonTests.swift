import Foundation
import Modbus
import MQTT
import Synchronization
import Testing
import TestSupport

/// The known meter behind a switch: when off it stops answering, like a meter losing power.
final class SwitchableMeter: ModbusRequestHandler, Sendable {
    let answering = Atomic<Bool>(true)

    func reply(to request: ModbusRequest) -> ModbusReply {
        answering.load(ordering: .relaxed) ? KnownMeter().reply(to: request) : .silence
    }
}

/// A config for the known meter, one line, and a Sparkplug edge node `g1/gw1`.
func sparkplugConfig(brokerPort: Int, meterPort: Int, directory: URL, mode: String, primaryHost: String? = nil) -> String {
    """
    site: {id: sp, time_zone: UTC}
    mqtt:
      host: 127.0.0.1
      port: \(brokerPort)
      prefix: plantgate
      keepalive: 5s
      sparkplug: {group_id: g1, edge_node_id: gw1, mode: \(mode)\(primaryHost.map { ", primary_host_id: \($0)" } ?? "")}
    buses:
      - {id: mcc, tcp: {host: 127.0.0.1, port: \(meterPort)}, response_timeout: 300ms, connect_timeout: 300ms}
    devices:
      - id: pm
        bus: mcc
        unit: 1
        interval: 200ms
        tags:
          power: {register: "holding:100", type: float32, order: ABCD, unit: kW}
          energy: {register: "holding:102", type: uint32, order: ABCD, unit: Wh, kind: counter}
    lines:
      - id: l1
        product: {name: "LiOH·H2O", lce_factor: 0.8804, min_t: 0.2}
        inputs:
          - {tag: pm/energy, role: electricity_import}
          - {tag: pm/power, role: active_power}
    factors:
      grid: {id: test-grid, kgco2e_per_kwh: 0.8, source: test, vintage: 2024}
    state_dir: \(directory.path)/state
    control_socket: \(directory.path)/control.sock
    log_level: info
    """
}

/// One running setup: broker, known meter, a host-side recorder, the decoder, and the daemon.
struct SparkplugRig {
    let harness: GatewayHarness
    let meter: ModbusTCPServer
    let meterPower: SwitchableMeter
    let recorder: SparkplugRecorder
    let decoder: SparkplugWireDecoder

    var broker: MosquittoBroker { harness.broker }
    var directory: URL { harness.directory }
    var configPath: URL { harness.configPath }

    static func start(mode: String = "alongside", primaryHost: String? = nil) async throws -> SparkplugRig {
        let harness = try await GatewayHarness.start("plantgate-sparkplug")
        let meterPower = SwitchableMeter()
        let meter = try ModbusTCPServer(port: 0, handler: meterPower)
        meter.start()
        try harness.writeConfig(sparkplugConfig(brokerPort: harness.broker.port, meterPort: meter.port, directory: harness.directory,
                                                mode: mode, primaryHost: primaryHost))
        let recorder = try await SparkplugRecorder(port: harness.broker.port, filters: ["spBv1.0/#", "plantgate/#"])
        let decoder = try await SparkplugWireDecoder.make(in: harness.directory)
        return SparkplugRig(harness: harness, meter: meter, meterPower: meterPower, recorder: recorder, decoder: decoder)
    }

    func daemon() throws -> BuiltExecutable { try harness.startDaemon() }

    /// The bdSeq metric of a decoded NBIRTH or NDEATH.
    func birthDeathSequence(_ message: SparkplugRecorder.Message) async throws -> Int? {
        let payload = try await decoder.decode(message.payload)
        return payload.metric("bdSeq").flatMap { $0.value }.flatMap(Int.init)
    }

    /// Waits for `count` NBIRTHs in total, then for the DBIRTH of every device after the last one.
    func waitForBirths(_ count: Int, daemon: BuiltExecutable, timeout: Duration = .seconds(20)) async -> Bool {
        await eventually(timeout: timeout) {
            let messages = recorder.messages
            guard let last = messages.lastIndex(where: { $0.type == "NBIRTH" }),
                  messages.filter({ $0.type == "NBIRTH" }).count >= count else { return false }
            let after = messages[last...]
            return after.contains { $0.type == "DBIRTH" && $0.device == "pm" } && after.contains { $0.type == "DBIRTH" && $0.device == "l1" }
        }
    }
}

@Suite("plantgated as a Sparkplug B edge node, read by Google's protobuf decoder", .serialized)
struct SparkplugDaemonTests {
    @Test func birthsDataRebirthDeviceDeathAndNdeathAcrossAKillAndRestart() async throws {
        let rig = try await SparkplugRig.start()
        defer { rig.meter.stop() }
        let daemon = try rig.daemon()
        let recorder = rig.recorder

        // Births: NBIRTH (seq 0, bdSeq 0 on a fresh state directory), then DBIRTH of the meter and the line.
        try #require(await rig.waitForBirths(1, daemon: daemon), "log: \(daemon.log)")
        let nbirth = try await rig.decoder.decode(try #require(recorder.messages("NBIRTH").first).payload)
        #expect(nbirth.seq == 0)
        #expect(nbirth.metric("bdSeq")?.datatype == "Int64")
        #expect(nbirth.metric("bdSeq")?.value == "0")
        #expect(nbirth.metric("Node Control/Rebirth")?.datatype == "Boolean")
        #expect(nbirth.metric("gateway/devices")?.datatype == "Int64")

        let meterBirth = try await rig.decoder.decode(try #require(recorder.messages("DBIRTH", device: "pm").first).payload)
        let power = try #require(meterBirth.metric("power"))
        let energy = try #require(meterBirth.metric("energy"))
        #expect(power.datatype == "Double")
        #expect(energy.datatype == "Double")
        #expect(power.properties["engUnit"] == "kW")
        #expect(energy.properties["engUnit"] == "Wh")
        #expect(power.properties["Quality"] != nil)
        let powerAlias = try #require(power.alias)
        let energyAlias = try #require(energy.alias)
        #expect(powerAlias != energyAlias)
        let lineBirth = try await rig.decoder.decode(try #require(recorder.messages("DBIRTH", device: "l1").first).payload)
        #expect(lineBirth.metric("power_kw")?.properties["engUnit"] == "kW")
        #expect(lineBirth.metric("electricity_import_kwh/1m")?.datatype == "Double")
        // The first births of the session wait for the first pass with values: they carry values, not nulls.
        #expect(meterBirth.metrics.allSatisfy { !$0.is_null }, "first DBIRTH of the meter has nulls: \(meterBirth.metrics)")
        #expect(power.value == "412.75")
        for name in ["power_kw", "electricity_import_kwh/1m", "electricity_import_kwh/15m", "scope2_lb_tco2e/1m"] {
            #expect(lineBirth.metric(name).map { !$0.is_null } == true, "\(name) is null in the first line DBIRTH: \(lineBirth.metrics)")
        }
        // Only a demand block that has not closed yet has no value to carry.
        let lineNulls = lineBirth.metrics.filter(\.is_null).compactMap(\.name)
        #expect(lineNulls.allSatisfy { $0 == "demand_kw_15m" }, "nulls in the first line DBIRTH: \(lineNulls)")
        #expect(lineBirth.metric("power_kw")?.value == "412.75")
        // Line metrics carry the same names as their JSON topics (plantgate/sp/lines/l1/electricity_import_kwh/1m).
        #expect(!lineBirth.metrics.contains { ($0.name ?? "").hasPrefix("1m/") || ($0.name ?? "").hasPrefix("15m/") })
        #expect(await eventually(timeout: .seconds(10)) { recorder.messages.contains { $0.topic == "plantgate/sp/lines/l1/electricity_import_kwh/1m" } })

        // The meter's values are in its first DBIRTH; a constant meter then sends no DDATA. The line's rolling
        // windows fill up: their DDATA carries aliases (of the line's birth) only, with values.
        #expect(energy.value == "123456789.0")
        let lineAliases = Set(lineBirth.metrics.compactMap(\.alias))
        #expect(try await eventually(timeout: .seconds(20)) {
            let metrics = try await rig.decoder.decode(recorder.messages("DDATA", device: "l1").map(\.payload)).flatMap(\.metrics)
            return metrics.contains { !$0.is_null }
        }, "log: \(daemon.log)")
        let lineData = try await rig.decoder.decode(recorder.messages("DDATA", device: "l1").map(\.payload)).flatMap(\.metrics)
        #expect(lineData.allSatisfy { $0.name == nil && $0.alias.map(lineAliases.contains) == true })
        #expect(!lineAliases.contains(energyAlias) && !lineAliases.contains(powerAlias))
        // JSON topics still flow alongside.
        #expect(!recorder.messages.filter { $0.topic == "plantgate/sp/devices/pm/power" }.isEmpty)

        // A malformed NCMD and an NCMD that tries to write, twice each: refused, and each kind logged once.
        let nodeWrite = try await rig.decoder.command(metric: "gateway/version", value: true)
        for _ in 0..<2 {
            try recorder.publish(topic: "spBv1.0/g1/NCMD/gw1", payload: Array("rebirth please".utf8))
            try recorder.publish(topic: "spBv1.0/g1/NCMD/gw1", payload: nodeWrite)
        }

        // A host asks for a rebirth: NBIRTH with seq 0 and the same bdSeq, then every DBIRTH.
        let rebirth = try await rig.decoder.command(metric: "Node Control/Rebirth", value: true)
        try recorder.publish(topic: "spBv1.0/g1/NCMD/gw1", payload: rebirth)
        try #require(await rig.waitForBirths(2, daemon: daemon), "log: \(daemon.log)")
        // Commands are handled in order: with the rebirth done, the four refusals before it are handled too.
        #expect(daemon.log.components(separatedBy: "is not a Sparkplug B protobuf").count == 2, "malformed NCMD not logged once: \(daemon.log)")
        #expect(daemon.log.components(separatedBy: "writing gateway/version").count == 2, "NCMD write not logged once: \(daemon.log)")
        let second = try await rig.decoder.decode(try #require(recorder.messages("NBIRTH").last).payload)
        #expect(second.seq == 0)
        #expect(second.metric("bdSeq")?.value == "0")

        // Device commands are refused (plantgate never writes), and logged once.
        let write = try await rig.decoder.command(metric: "power", value: true)
        try recorder.publish(topic: "spBv1.0/g1/DCMD/gw1/pm", payload: write)
        try recorder.publish(topic: "spBv1.0/g1/DCMD/gw1/pm", payload: write)
        #expect(await eventually(timeout: .seconds(5)) { daemon.log.contains("refused DCMD to device 'pm'") }, "log: \(daemon.log)")
        #expect(rig.meter.statistics.nonReadRequests == 0)

        // The meter stops answering: DDEATH for it; it answers again: a fresh DBIRTH.
        rig.meterPower.answering.store(false, ordering: .relaxed)
        #expect(await eventually(timeout: .seconds(15)) { !recorder.messages("DDEATH", device: "pm").isEmpty }, "log: \(daemon.log)")
        let birthsBefore = recorder.messages("DBIRTH", device: "pm").count
        rig.meterPower.answering.store(true, ordering: .relaxed)
        #expect(await eventually(timeout: .seconds(20)) { recorder.messages("DBIRTH", device: "pm").count > birthsBefore }, "log: \(daemon.log)")

        // seq runs 0-255 without a gap over every message since the last NBIRTH.
        let lastBirth = try #require(recorder.messages.lastIndex { $0.type == "NBIRTH" })
        let sequenced = try await rig.decoder.decode(recorder.sequenced(after: lastBirth).map(\.payload))
        let seqs = sequenced.compactMap(\.seq)
        #expect(seqs.count == sequenced.count)
        #expect(seqs.first == 0)
        #expect(zip(seqs, seqs.dropFirst()).allSatisfy { ($0 + 1) % 256 == $1 }, "seq: \(seqs)")
        #expect(daemon.log.components(separatedBy: "refused DCMD").count == 2, "DCMD refusal not logged exactly once: \(daemon.log)")

        // plantgate status shows the session.
        let status = try await ProcessRunner.run(BuiltExecutable.path("plantgate"), ["status", "--socket", rig.directory.appendingPathComponent("control.sock").path])
        #expect(status.standardOutput.contains("sparkplug g1/gw1: born, bdSeq 0"), "status: \(status.standardOutput) \(status.standardError)")
        let json = try await ProcessRunner.run(BuiltExecutable.path("plantgate"), ["status", "--json", "--socket", rig.directory.appendingPathComponent("control.sock").path])
        let session = (try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])?["sparkplug"] as? [String: Any]
        #expect(session?["born"] as? Bool == true && session?["birth_death_sequence"] as? Int == 0 && session?["connected"] as? Bool == true,
                "status --json: \(json.standardOutput)")

        // SIGKILL: the broker publishes the will, the NDEATH with the NBIRTH's bdSeq.
        await daemon.kill()
        #expect(await eventually(timeout: .seconds(15)) { !recorder.messages("NDEATH").isEmpty })
        let ndeath = try #require(recorder.messages("NDEATH").first)
        #expect(try await rig.birthDeathSequence(ndeath) == 0)
        #expect(try await rig.decoder.decode(ndeath.payload).seq == nil)

        // Restart: bdSeq continues from the persisted one.
        let restarted = try rig.daemon()
        try #require(await rig.waitForBirths(3, daemon: restarted), "log: \(restarted.log)")
        let third = try #require(recorder.messages("NBIRTH").last)
        #expect(try await rig.birthDeathSequence(third) == 1)
        #expect(await restarted.terminate() == 0, "log: \(restarted.log)")
        // A clean stop publishes NDEATH itself (no will on DISCONNECT), with the same bdSeq.
        #expect(await eventually(timeout: .seconds(5)) { recorder.messages("NDEATH").count >= 2 })
        #expect(try await rig.birthDeathSequence(try #require(recorder.messages("NDEATH").last)) == 1)
    }

    @Test func aReloadBirthsAgainWithTheLatestValuesNotNulls() async throws {
        let rig = try await SparkplugRig.start()
        defer { rig.meter.stop() }
        let daemon = try rig.daemon()
        try #require(await rig.waitForBirths(1, daemon: daemon), "log: \(daemon.log)")
        // A changed file (a comment changes its revision) reloads: a new edge node session, new births.
        let text = try String(contentsOf: rig.configPath, encoding: .utf8)
        try (text + "\n# reloaded\n").write(to: rig.configPath, atomically: true, encoding: .utf8)
        daemon.child.signal(SIGHUP)
        try #require(await rig.waitForBirths(2, daemon: daemon), "log: \(daemon.log)")
        let last = try #require(rig.recorder.messages.lastIndex { $0.type == "NBIRTH" })
        let births = rig.recorder.messages[last...].filter { $0.type == "DBIRTH" }
        for device in ["pm", "l1"] {
            let birth = try await rig.decoder.decode(try #require(births.first { $0.device == device }).payload)
            let nulls = birth.metrics.filter(\.is_null).compactMap(\.name)
            // Only a demand block that has not closed yet has no value to carry.
            #expect(nulls.allSatisfy { $0 == "demand_kw_15m" }, "\(device) DBIRTH after the reload has nulls: \(nulls)")
        }
        #expect(await daemon.terminate() == 0)
    }

    @Test func brokerOutageEndsInARebirthWithTheNextBdSeq() async throws {
        let rig = try await SparkplugRig.start()
        defer { rig.meter.stop() }
        let daemon = try rig.daemon()
        try #require(await rig.waitForBirths(1, daemon: daemon), "log: \(daemon.log)")
        #expect(try await rig.birthDeathSequence(try #require(rig.recorder.messages("NBIRTH").first)) == 0)

        // NBIRTH is not retained: the recorder must be subscribed again before the edge node can rebirth,
        // or a fast reconnect by the daemon wins the race and the birth is never seen. The daemon is
        // stopped (SIGSTOP) over the restart and continued once the recorder has its SUBACKs.
        let acknowledged = rig.recorder.subscriptionsAcknowledged
        daemon.child.signal(SIGSTOP)
        try await rig.broker.restart()
        let resubscribed = await eventually(timeout: .seconds(15)) { rig.recorder.subscriptionsAcknowledged >= acknowledged + 2 }
        daemon.child.signal(SIGCONT)
        try #require(resubscribed, "the recorder did not subscribe again after the broker restart")
        try #require(await rig.waitForBirths(2, daemon: daemon, timeout: .seconds(40)), "log: \(daemon.log)")
        let after = try #require(rig.recorder.messages("NBIRTH").last)
        #expect(try await rig.birthDeathSequence(after) == 1)
        let stored = try String(contentsOf: rig.directory.appendingPathComponent("state/sparkplug-bdseq"), encoding: .utf8)
        #expect(stored.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        #expect(await daemon.terminate() == 0)
    }

    @Test func insteadModeDropsJSONValuesButKeepsTheStatusTopic() async throws {
        let rig = try await SparkplugRig.start(mode: "instead")
        defer { rig.meter.stop() }
        let daemon = try rig.daemon()
        try #require(await rig.waitForBirths(1, daemon: daemon), "log: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(20)) { !rig.recorder.messages("DDATA", device: "l1").isEmpty }, "log: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(10)) { rig.recorder.messages.contains { $0.topic == "plantgate/sp/status" } })
        // Health goes out on the JSON connection after the engine pass that would have published raw values:
        // once it is here, any raw or metric JSON sent in error would be here too.
        #expect(await eventually(timeout: .seconds(20)) { rig.recorder.messages.contains { $0.topic == "plantgate/sp/devices/pm/health" } },
                "log: \(daemon.log)")
        let json = rig.recorder.messages.filter { $0.topic.hasPrefix("plantgate/") }.map(\.topic)
        #expect(!json.contains("plantgate/sp/devices/pm/power"), "raw tags published in instead mode: \(json)")
        #expect(!json.contains { $0.hasPrefix("plantgate/sp/lines/l1/") && !$0.contains("/periods/") }, "line metrics published in instead mode: \(json)")
        #expect(await daemon.terminate() == 0)
    }

    @Test func primaryHostStateGatesBirthsAndItsAbsenceIsAnOutage() async throws {
        let rig = try await SparkplugRig.start(primaryHost: "scada-1")
        defer { rig.meter.stop() }
        let stateTopic = "spBv1.0/STATE/scada-1"
        func hostState(online: Bool) throws {
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            _ = try rig.recorder.client.publish(topic: stateTopic, text: #"{"online": \#(online), "timestamp": \#(now)}"#,
                                                qos: .atLeastOnce, retain: true)
        }
        try hostState(online: false)
        let daemon = try rig.daemon()
        #expect(await eventually(timeout: .seconds(15)) { daemon.log.contains("Sparkplug connected") }, "log: \(daemon.log)")
        // Data keeps flowing on the JSON side, but the host is offline: no births, no DDATA.
        #expect(await eventually(timeout: .seconds(10)) { rig.recorder.messages.contains { $0.topic == "plantgate/sp/devices/pm/power" } })
        #expect(rig.recorder.messages("NBIRTH").isEmpty)
        #expect(rig.recorder.messages("DDATA").isEmpty)

        try hostState(online: true)
        try #require(await rig.waitForBirths(1, daemon: daemon), "log: \(daemon.log)")
        let first = try await rig.birthDeathSequence(try #require(rig.recorder.messages("NBIRTH").first))

        // Host offline: treated as an outage (NDEATH, new connection); back online: rebirth with the next bdSeq.
        try hostState(online: false)
        #expect(await eventually(timeout: .seconds(10)) { !rig.recorder.messages("NDEATH").isEmpty }, "log: \(daemon.log)")
        #expect(try await rig.birthDeathSequence(try #require(rig.recorder.messages("NDEATH").first)) == first)
        #expect(await eventually(timeout: .seconds(10)) { daemon.log.components(separatedBy: "Sparkplug connected").count >= 3 }, "log: \(daemon.log)")
        try hostState(online: true)
        try #require(await rig.waitForBirths(2, daemon: daemon), "log: \(daemon.log)")
        let second = try await rig.birthDeathSequence(try #require(rig.recorder.messages("NBIRTH").last))
        #expect(second == first.map { $0 + 1 })
        #expect(await daemon.terminate() == 0)
    }
}
