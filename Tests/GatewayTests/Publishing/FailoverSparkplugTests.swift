import Foundation
import Modbus
import MQTT
import Testing
import TestSupport

/// `mqtt.sparkplug` with `mqtt.hosts: [A, B]`: the edge node's own connection fails over with the JSON
/// publisher's, and its session starts over on B the way Sparkplug B requires.
@Suite("plantgated's Sparkplug edge node fails over between brokers", .serialized, .timeLimit(.minutes(3)))
struct FailoverSparkplugTests {
    @Test("A is killed: NBIRTH on B with the next bdSeq before any DDATA; SIGKILL then puts NDEATH and \"offline\" on B")
    func edgeNodeMovesToTheSecondBroker() async throws {
        let brokerA = try await MosquittoBroker.start()
        let brokerB = try await MosquittoBroker.start()
        let meter = try ModbusTCPServer(port: 0, handler: SwitchableMeter())
        meter.start()
        defer { meter.stop() }
        let directory = try temporaryDirectory("plantgate-sparkplug-failover")
        let configPath = directory.appendingPathComponent("plantgate.yaml")
        let single = "  host: 127.0.0.1\n  port: \(brokerA.port)\n"
        let config = sparkplugConfig(brokerPort: brokerA.port, meterPort: meter.port, directory: directory, mode: "alongside")
        try #require(config.contains(single))
        try config.replacingOccurrences(of: single, with: """
              hosts: ["127.0.0.1:\(brokerA.port)", "127.0.0.1:\(brokerB.port)"]
              reconnect: {min: 250ms, max: 2s}

            """).write(to: configPath, atomically: true, encoding: .utf8)
        let onA = try await SparkplugRecorder(port: brokerA.port, filters: ["spBv1.0/#", "plantgate/sp/status"])
        let onB = try await SparkplugRecorder(port: brokerB.port, filters: ["spBv1.0/#", "plantgate/sp/status"])
        let decoder = try await SparkplugWireDecoder.make(in: directory)
        func bdSeq(_ message: SparkplugRecorder.Message) async throws -> String? {
            try await decoder.decode(message.payload).metric("bdSeq")?.value
        }
        let daemon = try BuiltExecutable("plantgated", arguments: ["--config", configPath.path], directory: directory)

        // Born on A, with data flowing there.
        try #require(await eventually(timeout: .seconds(20)) { !onA.messages("NBIRTH").isEmpty && !onA.messages("DDATA").isEmpty },
                     "log: \(daemon.log)")
        let firstBirth = try #require(onA.messages("NBIRTH").first)
        let birthOnA = try #require(try await bdSeq(firstBirth).flatMap(Int.init))
        #expect(onB.messages("NBIRTH").isEmpty)

        await brokerA.kill()
        try #require(await eventually(timeout: .seconds(40)) { !onB.messages("NBIRTH").isEmpty && !onB.messages("DDATA").isEmpty },
                     "log: \(daemon.log)")
        let birthOnB = try #require(onB.messages("NBIRTH").first)
        let bdSeqOnB = try #require(try await bdSeq(birthOnB).flatMap(Int.init))
        #expect(bdSeqOnB > birthOnA, "bdSeq of the NBIRTH on A \(birthOnA), on B \(bdSeqOnB): a new one per connection")
        // On B the session starts with NBIRTH: no DDATA (nor DBIRTH) before it, seq from 0 without a gap after it.
        let nodeMessages = onB.sequenced()
        #expect(nodeMessages.first?.type == "NBIRTH", "first Sparkplug messages on B: \(nodeMessages.prefix(5).map(\.topic))")
        let seqs = try await decoder.decode(nodeMessages.map(\.payload)).compactMap(\.seq)
        #expect(seqs.count == nodeMessages.count && seqs.first == 0, "seq on B: \(seqs)")
        #expect(zip(seqs, seqs.dropFirst()).allSatisfy { ($0 + 1) % 256 == $1 }, "seq on B: \(seqs)")
        #expect(daemon.log.contains("127.0.0.1:\(brokerB.port)"), "log: \(daemon.log)")

        // SIGKILL: B holds both sessions, so B publishes both wills: NDEATH with B's bdSeq, and "offline".
        await daemon.kill()
        #expect(await eventually(timeout: .seconds(15)) { !onB.messages("NDEATH").isEmpty }, "messages on B: \(onB.messages.map(\.topic))")
        let death = try #require(onB.messages("NDEATH").first)
        #expect(try await bdSeq(death) == String(bdSeqOnB), "NDEATH on B must carry the bdSeq of B's NBIRTH (\(bdSeqOnB))")
        let (offline, state) = await FailoverChecks.retained("offline", port: brokerB.port, site: "sp")
        #expect(offline, "retained status on B after SIGKILL: \(state ?? "none")")
    }
}
