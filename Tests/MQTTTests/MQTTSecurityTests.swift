import Foundation
import MQTT
import Testing
import TestSupport

@Suite("Authentication and TLS")
struct MQTTSecurityTests {
    @Test("a wrong password is refused with an error that points at the username and password",
          arguments: [MQTTProtocolVersion.v3_1_1, .v5])
    func wrongPassword(version: MQTTProtocolVersion) async throws {
        let broker = try await MosquittoBroker.start(.init(allowAnonymous: false, users: ["plantgate": "s3cret-pass"]))
        var wrong = options(for: broker, "gateway")
        wrong.protocolVersion = version
        wrong.credentials = MQTTCredentials(username: "plantgate", password: "not-the-password")
        let client = try MQTTClient(options: wrong)
        let log = EventLog.recording(client)
        try client.connect()

        #expect(await eventually { !log.refusals.isEmpty })
        let error = try #require(log.refusals.first)
        #expect([.notAuthorized, .badCredentials].contains(error.code))
        #expect(error.message.contains("not authorised"))
        #expect(error.message.contains("check the username and password"))
        #expect(!error.message.contains("password_file"), "the MQTT module names no plantgate.yaml key: \(error)")
        #expect(error.message.contains("plantgate"))
        #expect(!error.description.contains("not-the-password"))
        #expect(log.acceptedConnects == 0)

        var right = wrong
        right.clientID += "-ok"
        right.credentials = MQTTCredentials(username: "plantgate", password: "s3cret-pass")
        _ = try await connectedClient(right)
    }

    @Test("TLS with a CA and server certificate made by openssl carries messages")
    func tlsRoundTrip() async throws {
        let pki = try await TestCertificates.generate()
        defer { pki.remove() }
        let broker = try await MosquittoBroker.start(.init(tls: pki))
        var tlsOptions = options(for: broker, "gateway")
        tlsOptions.port = try #require(broker.tlsPort)
        tlsOptions.tls = MQTTTLSOptions(caFile: pki.caFile)

        let (client, log) = try await connectedClient(tlsOptions)
        try await subscribe(client, log, "plantgate/#")
        let mid = try client.publish(topic: "plantgate/site1/gateway/stats", text: #"{"v": 1}"#, qos: .exactlyOnce)
        #expect(await eventually { log.messages.map(\.text) == [#"{"v": 1}"#] && log.acknowledged.contains(mid) })
        #expect(tlsOptions.endpoint.hasPrefix("mqtts://"))
    }

    @Test("a broker that requires client certificates accepts ours and rejects a client without one")
    func clientCertificate() async throws {
        let pki = try await TestCertificates.generate()
        defer { pki.remove() }
        let broker = try await MosquittoBroker.start(.init(allowAnonymous: false, tls: pki, requireClientCertificate: true))
        var withCertificate = options(for: broker, "gateway")
        withCertificate.port = try #require(broker.tlsPort)
        withCertificate.tls = MQTTTLSOptions(caFile: pki.caFile, certificateFile: pki.clientCertificateFile, keyFile: pki.clientKeyFile)
        let (client, _) = try await connectedClient(withCertificate)
        _ = client

        var without = withCertificate
        without.clientID += "-nocert"
        without.tls = MQTTTLSOptions(caFile: pki.caFile)
        let stranger = try MQTTClient(options: without)
        let strangerLog = EventLog.recording(stranger)
        try stranger.connect()
        #expect(await eventually { !strangerLog.losses.isEmpty })
        #expect(strangerLog.acceptedConnects == 0)
        // TLS 1.3: the broker rejects after the client's side of the handshake, so libmosquitto sees a
        // dropped link (or EPROTO) rather than a handshake error; the broker's log has the reason.
        #expect(await eventually { broker.log.contains("peer did not return a certificate") })
    }

    @Test("a client certificate without its key is rejected before connecting")
    func certificateWithoutKey() throws {
        var incomplete = MQTTClientOptions(host: "127.0.0.1", clientID: "gateway")
        incomplete.tls = MQTTTLSOptions(caFile: "/etc/ssl/certs/ca-certificates.crt", certificateFile: "/tmp/client.crt")
        #expect { try MQTTClient(options: incomplete) } throws: { error in
            (error as? MQTTError)?.code == .invalidArgument
        }
    }

    @Test("an unreadable CA file is named in the error")
    func missingCAFile() throws {
        var missing = MQTTClientOptions(host: "127.0.0.1", clientID: "gateway")
        missing.tls = MQTTTLSOptions(caFile: "/nonexistent/plantgate-ca.crt")
        #expect { try MQTTClient(options: missing) } throws: { error in
            guard let error = error as? MQTTError else { return false }
            return error.code == .tls && error.message.contains("/nonexistent/plantgate-ca.crt")
        }
    }
}
