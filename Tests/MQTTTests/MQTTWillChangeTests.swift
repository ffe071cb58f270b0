import Foundation
@_spi(Testing) import MQTT
import Testing
import TestSupport

@Suite("Changing the last will")
struct MQTTWillChangeTests {
    @Test("setWill applies to the next connection: the broker publishes the new will, not the old one")
    func newWillOnNextConnection() async throws {
        let broker = try await MosquittoBroker.start()
        let topic = "spBv1.0/g/NDEATH/n"
        let (watcher, watcherLog) = try await connectedClient(options(for: broker, "host"))
        try await subscribe(watcher, watcherLog, topic, qos: .atLeastOnce)

        var nodeOptions = options(for: broker, "node")
        nodeOptions.will = MQTTWill(topic: topic, text: "bdSeq 0", qos: .atLeastOnce, retain: false)
        let (node, nodeLog) = try await connectedClient(nodeOptions)
        node.disconnect()
        try node.setWill(MQTTWill(topic: topic, text: "bdSeq 1", qos: .atLeastOnce, retain: false))
        try node.connect()
        #expect(await eventually { nodeLog.acceptedConnects >= 2 })

        node.simulateCrash()

        #expect(await eventually { !watcherLog.messages(on: topic).isEmpty })
        #expect(watcherLog.messages(on: topic).map(\.text) == ["bdSeq 1"])
    }

    @Test("setWill(nil) removes the will: a crash publishes nothing")
    func clearedWill() async throws {
        let broker = try await MosquittoBroker.start()
        let topic = "plantgate/site1/status"
        let (watcher, watcherLog) = try await connectedClient(options(for: broker, "scada"))
        try await subscribe(watcher, watcherLog, topic, qos: .atLeastOnce)

        var gatewayOptions = options(for: broker, "gateway")
        gatewayOptions.will = MQTTWill(topic: topic, text: "offline", qos: .atLeastOnce, retain: false)
        let (gateway, gatewayLog) = try await connectedClient(gatewayOptions)
        gateway.disconnect()
        try gateway.setWill(nil)
        try gateway.connect()
        #expect(await eventually { gatewayLog.acceptedConnects >= 2 })
        gateway.simulateCrash()
        #expect(await eventually { broker.log.contains("Client \(gatewayOptions.clientID) closed its connection") })

        try watcher.publish(topic: topic, text: "marker", qos: .atLeastOnce)
        #expect(await eventually { !watcherLog.messages(on: topic).isEmpty })
        #expect(watcherLog.messages(on: topic).map(\.text) == ["marker"])
    }
}
