import Foundation
import MQTT
import Testing
import TestSupport

/// The network thread sleeps up to a quarter of the keepalive between packets instead of waking every
/// second; a broker that stops answering is still noticed by the keepalive, in about two keepalives.
@Suite("Keepalive with a sleeping network thread")
struct MQTTKeepaliveTests {
    @Test("a frozen broker is a keepalive timeout after about two keepalives, not sooner than one")
    func frozenBrokerIsNoticed() async throws {
        let broker = try await MosquittoBroker.start()
        var options = options(for: broker, "keepalive")
        options.keepaliveSeconds = 5  // libmosquitto's least
        let (client, log) = try await connectedClient(options)
        defer { client.disconnect() }
        let frozen = ContinuousClock.now
        broker.suspend()
        defer { broker.resume() }
        #expect(await eventually(timeout: .seconds(20), pollInterval: .milliseconds(50)) { !log.losses.isEmpty }, "events: \(log.all)")
        let noticed = ContinuousClock.now - frozen
        let loss = try #require(log.losses.first)
        print("measured: a frozen broker noticed after \(noticed) with a 5 s keepalive: \(loss)")
        #expect(loss.code == .keepaliveTimeout, "\(loss)")
        // PINGREQ at most 5 s + 1.25 s after the last packet, the timeout at most 5 s + 1.25 s after that.
        #expect(noticed >= .seconds(5) && noticed <= .seconds(15), "noticed after \(noticed)")
    }
}
