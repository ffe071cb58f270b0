import Foundation
@_spi(Testing) import MQTT
import Testing
import TestSupport

@Suite("Last will")
struct MQTTWillTests {
    @Test("the broker publishes the client's will when its connection dies without DISCONNECT")
    func willOnCrash() async throws {
        let broker = try await MosquittoBroker.start()
        let topic = "plantgate/site1/status"
        let (watcher, watcherLog) = try await connectedClient(options(for: broker, "scada"))
        try await subscribe(watcher, watcherLog, topic, qos: .atLeastOnce)

        var gatewayOptions = options(for: broker, "gateway")
        gatewayOptions.will = MQTTWill(topic: topic, text: "offline", qos: .atLeastOnce, retain: true)
        let (gateway, _) = try await connectedClient(gatewayOptions)
        #expect(watcherLog.messages(on: topic).isEmpty)

        gateway.simulateCrash()

        #expect(await eventually { watcherLog.messages(on: topic).map(\.text) == ["offline"] })
    }

    @Test("a clean disconnect does not trigger the will")
    func noWillOnCleanDisconnect() async throws {
        let broker = try await MosquittoBroker.start()
        let topic = "plantgate/site1/status"
        let (watcher, watcherLog) = try await connectedClient(options(for: broker, "scada"))
        try await subscribe(watcher, watcherLog, topic, qos: .atLeastOnce)

        var gatewayOptions = options(for: broker, "gateway")
        gatewayOptions.will = MQTTWill(topic: topic, text: "offline", qos: .atLeastOnce, retain: false)
        let (gateway, _) = try await connectedClient(gatewayOptions)
        gateway.disconnect()
        #expect(await eventually { broker.log.contains("Client \(gatewayOptions.clientID) disconnected.") })

        // The broker has finished with the gateway; anything it would publish for it came before this.
        try watcher.publish(topic: topic, text: "marker", qos: .atLeastOnce)
        #expect(await eventually { !watcherLog.messages(on: topic).isEmpty })
        #expect(watcherLog.messages(on: topic).map(\.text) == ["marker"])
    }
}
