import Foundation
@testable import MQTT
import Testing
import TestSupport

/// A failure is named for what it is, and at once: the words a technician would search for, well before the
/// 10 s keepalive would have noticed. The bound is 5 s, not the 0.1 s it takes here: the test sees the event
/// through a task, which a loaded CI machine can keep waiting for a cooperative thread.
@Suite("Connection failures named at once and correctly")
struct MQTTFailureNamingTests {
    @Test("a broker certificate from another CA: \"certificate verify failed\" long before a keepalive timeout")
    func wrongCertificateAuthority() async throws {
        let brokerPKI = try await TestCertificates.generate()
        let otherPKI = try await TestCertificates.generate()
        defer { brokerPKI.remove(); otherPKI.remove() }
        let broker = try await MosquittoBroker.start(.init(tls: brokerPKI))
        var wrongCA = options(for: broker, "gateway")
        wrongCA.port = try #require(broker.tlsPort)
        wrongCA.tls = MQTTTLSOptions(caFile: otherPKI.caFile)
        let client = try MQTTClient(options: wrongCA)
        let log = EventLog.recording(client)
        let started = ContinuousClock.now
        try client.connect()

        #expect(await eventually(timeout: .seconds(5), pollInterval: .milliseconds(20)) { !log.losses.isEmpty }, "events: \(log.all)")
        let error = try #require(log.losses.first)
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(5), "a keepalive timeout (10 s) named it, not the TLS handshake")
        #expect(error.code == .tls)
        #expect(error.message.contains("certificate verify failed"), "\(error)")
        #expect(error.message.contains("the CA file"))
        #expect(!error.message.contains("ca_file"), "the MQTT module names no plantgate.yaml key: \(error)")
        #expect(log.acceptedConnects == 0)
        client.disconnect()
    }

    @Test("TLS to a port nobody listens on: \"Connection refused\" at once, not a keepalive timeout")
    func tlsToClosedPort() async throws {
        let pki = try await TestCertificates.generate()
        defer { pki.remove() }
        var closed = MQTTClientOptions(
            host: "127.0.0.1", port: try FreePort.tcp(), clientID: "gateway-\(UUID().uuidString.prefix(8))",
            keepaliveSeconds: 10, tls: MQTTTLSOptions(caFile: pki.caFile))
        closed.reconnect = MQTTReconnectBackoff(initialDelaySeconds: 1, maximumDelaySeconds: 1)
        let client = try MQTTClient(options: closed)
        let log = EventLog.recording(client)
        try client.connect()

        #expect(await eventually(timeout: .seconds(5), pollInterval: .milliseconds(20)) { !log.losses.isEmpty }, "events: \(log.all)")
        let error = try #require(log.losses.first)
        #expect(error.message.contains("Connection refused"), "\(error)")
        #expect(error.code != .keepaliveTimeout && error.code != .tls)
        client.disconnect()
    }

    @Test("MQTT 5: a DISCONNECT with reason 0x8E is classed as a session taken over, naming the client id and the fix")
    func sessionTakenOverReason() {
        // mosquitto 2.0.11 closes the older connection without a DISCONNECT; newer brokers send 0x8E.
        let options = MQTTClientOptions(host: "10.0.0.5", clientID: "plantgate-box-7", protocolVersion: .v5)
        let error = MQTTError.brokerDisconnect(0x8E, options: options)
        #expect(error.code == .sessionTakenOver)
        #expect(error.rawCode == 0x8E)
        #expect(error.message.contains("session taken over") && error.message.contains("plantgate-box-7") && error.message.contains("its own client id"))
        #expect(!error.message.contains("mqtt."), "the MQTT module names no plantgate.yaml key: \(error)")
        let other = MQTTError.brokerDisconnect(0x8B, options: options)
        #expect(other.code == .connectionLost && other.message.contains("0x8B"), "\(other)")
    }
}
