import Foundation
@_spi(Testing) import MQTT
import Synchronization
import Testing
import TestSupport

import SwiftProtobuf

@testable import Sparkplug

/// Everything one MQTT client received, plus the edge node's reactions, for assertions.
final class Inbox: Sendable {
    private let messages = Mutex<[MQTTMessage]>([])
    private let reactions = Mutex<[SparkplugReaction]>([])
    private let subacks = Mutex<Int>(0)

    func record(_ message: MQTTMessage) { messages.withLock { $0.append(message) } }
    func record(_ reaction: SparkplugReaction) { reactions.withLock { $0.append(reaction) } }
    func recordSuback() { subacks.withLock { $0 += 1 } }

    var subscriptions: Int { subacks.withLock { $0 } }
    var allReactions: [SparkplugReaction] { reactions.withLock { $0 } }
    func received(_ type: SparkplugMessageType) -> [MQTTMessage] {
        messages.withLock { $0 }.filter { $0.topic.split(separator: "/").dropFirst(2).first == Substring(type.rawValue) }
    }
}

/// A SCADA-side client that sees every Sparkplug message of the group.
func scadaWatcher(_ broker: MosquittoBroker) async throws -> (MQTTClient, Inbox) {
    let inbox = Inbox()
    let client = try MQTTClient(options: MQTTClientOptions(host: "127.0.0.1", port: broker.port, clientID: "scada-\(UUID().uuidString.prefix(8))"))
    client.onMessage { inbox.record($0) }
    let events = client.events
    Task { for await event in events { if case .subscribed = event { inbox.recordSuback() } } }
    client.onConnect { result in
        if case .accepted = result { _ = try? client.subscribe("spBv1.0/#", qos: .atLeastOnce) }
    }
    try client.connect()
    try #require(await eventually { inbox.subscriptions == 1 }, "the watcher never got its SUBACK. Broker log:\n\(broker.log)")
    return (client, inbox)
}

/// The edge node wired to a real MQTTClient through `SparkplugSession`, as the daemon does it.
func edgeNode(_ broker: MosquittoBroker, storedBirthDeathSequence: UInt8?) throws -> (MQTTClient, SparkplugSession, Inbox) {
    var node = try PlantFixture.node(storedBirthDeathSequence: storedBirthDeathSequence)
    let will = node.prepareConnection(at: SparkplugSession.wallClockMs())
    var options = MQTTClientOptions(host: "127.0.0.1", port: broker.port, clientID: "plantgate-\(UUID().uuidString.prefix(8))")
    options.will = MQTTWill(topic: will.topic, payload: will.payload, qos: .atLeastOnce, retain: will.retain)
    let client = try MQTTClient(options: options)
    let inbox = Inbox()
    let session = SparkplugSession(
        node: node,
        publish: { message in
            _ = try? client.publish(topic: message.topic, payload: message.payload, qos: message.qos == 1 ? .atLeastOnce : .atMostOnce, retain: message.retain)
        },
        subscribe: { filter in _ = try? client.subscribe(filter, qos: .atLeastOnce) })
    client.onConnect { result in
        if case .accepted = result { session.connected() }
    }
    client.onDisconnect { _ in session.disconnected() }
    client.onMessage { message in inbox.record(session.received(topic: message.topic, payload: message.payload)) }
    return (client, session, inbox)
}

func bdSeq(_ message: MQTTMessage) throws -> UInt64? {
    try Org_Eclipse_Tahu_Protobuf_Payload(serializedBytes: message.payload).metrics.first { $0.name == "bdSeq" }?.longValue
}

@Suite struct MosquittoSparkplugTests {
    @Test func aCrashedEdgeNodesWillIsAnNdeathWithItsNbirthsBdSeq() async throws {
        let broker = try await MosquittoBroker.start()
        let (watcher, seen) = try await scadaWatcher(broker)
        let (edge, session, _) = try edgeNode(broker, storedBirthDeathSequence: 99)
        try edge.connect()

        try #require(await eventually { seen.received(.nodeBirth).count == 1 && seen.received(.deviceBirth).count == 2 })
        try session.deviceData("meter-3", [PlantFixture.update("active_power", .double(412.7))])
        try #require(await eventually { seen.received(.deviceData).count == 1 })
        let dbirth = try Org_Eclipse_Tahu_Protobuf_Payload(serializedBytes: try #require(seen.received(.deviceBirth).first).payload)
        let ddata = try Org_Eclipse_Tahu_Protobuf_Payload(serializedBytes: seen.received(.deviceData)[0].payload)
        #expect(ddata.metrics.map(\.alias) == [dbirth.metrics.first { $0.name == "active_power" }?.alias].compactMap { $0 })
        #expect(ddata.metrics.allSatisfy { !$0.hasName })

        edge.simulateCrash()

        try #require(await eventually { !seen.received(.nodeDeath).isEmpty }, "no NDEATH after the crash. Broker log:\n\(broker.log)")
        let ndeath = seen.received(.nodeDeath)[0]
        #expect(ndeath.topic == "spBv1.0/lithium-site/NDEATH/plantgate-1" && !ndeath.retain)
        let birthSequence = try bdSeq(seen.received(.nodeBirth)[0])
        #expect(birthSequence == 100)
        #expect(try bdSeq(ndeath) == birthSequence)
        edge.disconnect()
        watcher.disconnect()
    }

    @Test func anNcmdRebirthFromTheHostBringsANewNbirthAndDcmdIsRefused() async throws {
        let broker = try await MosquittoBroker.start()
        let (watcher, seen) = try await scadaWatcher(broker)
        let (edge, _, reactions) = try edgeNode(broker, storedBirthDeathSequence: nil)
        try edge.connect()
        try #require(await eventually { seen.received(.nodeBirth).count == 1 && seen.received(.deviceBirth).count == 2 })
        // the edge node subscribes before its NBIRTH, so the NCMD below reaches it
        try #require(await eventually { broker.log.contains("spBv1.0/lithium-site/NCMD/plantgate-1") })

        try watcher.publish(topic: "spBv1.0/lithium-site/DCMD/plantgate-1/meter-3", payload: try writeCommand(name: "breaker_closed"))
        try #require(await eventually { !reactions.allReactions.isEmpty })
        guard case .refused(let refusal) = reactions.allReactions[0] else {
            Issue.record("DCMD must be refused, got \(reactions.allReactions)")
            return
        }
        #expect(refusal.device == "meter-3")

        try watcher.publish(topic: "spBv1.0/lithium-site/NCMD/plantgate-1", payload: try rebirthCommand())
        try #require(await eventually { seen.received(.nodeBirth).count == 2 && seen.received(.deviceBirth).count == 4 })
        let births = seen.received(.nodeBirth).map { try? Org_Eclipse_Tahu_Protobuf_Payload(serializedBytes: $0.payload) }
        #expect(births.map { $0?.seq } == [0, 0])
        #expect(try bdSeq(seen.received(.nodeBirth)[1]) == bdSeq(seen.received(.nodeBirth)[0]))
        edge.disconnect()
        watcher.disconnect()
    }
}
