import Foundation
import Gateway
import Logging
import MQTT
import Outbox
import Testing
import TestSupport

/// Another client connecting with the gateway's client id is reported as that, not as a lost broker.
@Suite("Publisher: a client id taken over by another client")
struct ClientIDTakeoverTests {
    @Test("logged as a takeover, naming the client id and the fix, never as a lost broker",
          arguments: [MQTTProtocolVersion.v3_1_1, .v5])
    func takeoverIsNamed(version: MQTTProtocolVersion) async throws {
        let broker = try await MosquittoBroker.start()
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let log = CapturedLog()
        var options = publisherOptions(port: broker.port)
        options.client.protocolVersion = version
        let publisher = try Publisher(options: options, spool: try Spool(path: scratch.spoolPath), logger: log.logger)
        // A second real client with the same id, reconnecting like a second gateway would: the two take
        // the connection from each other in turns. It starts with the publisher: a connection that lasted
        // 5 s before its first loss is lost as a broker restart would lose it, and is logged as that (CI once
        // took that long between the publisher's connect and the test's next step).
        var intruderOptions = options.client
        intruderOptions.reconnect = MQTTReconnectBackoff(initialDelaySeconds: 1, maximumDelaySeconds: 1)
        let intruder = try MQTTClient(options: intruderOptions)
        try publisher.start()
        try intruder.connect()
        defer { intruder.disconnect() }
        #expect(await eventually { publisher.stats.connects >= 1 })

        let clientID = options.client.clientID
        let named = await eventually(timeout: .seconds(10)) {
            log.lines(atLeast: .warning).contains { $0.contains("MQTT client id '\(clientID)' taken over by another client") }
        }
        #expect(named, "log: \(log.lines(atLeast: .debug))")
        let warning = try #require(log.lines(atLeast: .warning).first { $0.contains("taken over") })
        #expect(warning.contains("mqtt.client_id"))
        #expect(await eventually(timeout: .seconds(10)) { publisher.stats.lastError?.contains("taken over") == true })

        // Let the tug-of-war run a few rounds: still one warning, and no lost broker.
        #expect(await eventually(timeout: .seconds(15)) { publisher.stats.connects >= 4 }, "log: \(log.lines(atLeast: .debug))")
        let warnings = log.lines(atLeast: .warning)
        #expect(warnings.filter { $0.contains("taken over") }.count == 1, "\(warnings)")
        #expect(!warnings.contains { $0.contains("lost the MQTT broker") }, "\(warnings)")
        intruder.disconnect()
        await publisher.stop(drainTimeout: .seconds(1))
    }

    @Test("a broker that goes away right after accepting the connection is not mistaken for a takeover")
    func brokerStopRightAfterConnectIsNoTakeover() async throws {
        let broker = try await MosquittoBroker.start()
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let log = CapturedLog()
        let publisher = try Publisher(options: publisherOptions(port: broker.port), spool: try Spool(path: scratch.spoolPath), logger: log.logger)
        try publisher.start()
        #expect(await eventually { publisher.stats.connected })
        await broker.stop()
        #expect(await eventually(timeout: .seconds(10)) {
            log.lines(atLeast: .warning).contains { $0.contains("MQTT broker unreachable") }
        }, "log: \(log.lines(atLeast: .debug))")
        #expect(!log.lines(atLeast: .debug).contains { $0.contains("taken over") }, "log: \(log.lines(atLeast: .debug))")
        try await broker.start()
        #expect(await eventually(timeout: .seconds(10)) { publisher.stats.connected })
        #expect(!log.lines(atLeast: .debug).contains { $0.contains("taken over") })
        await publisher.stop(drainTimeout: .seconds(1))
    }
}
