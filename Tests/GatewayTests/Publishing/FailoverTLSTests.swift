import Foundation
import Modbus
import MQTT
import Testing
import TestSupport

/// `mqtt.hosts` over TLS: two mosquitto with TLS listeners (certificates made at test time); the gateway
/// verifies each against `tls.ca_file`. Historians read the brokers' plain loopback listeners.
@Suite("plantgated fails over between TLS brokers", .serialized, .timeLimit(.minutes(3)))
struct FailoverTLSTests {
    @Test("the TLS broker in use is killed: the gateway moves to the other over TLS, nothing lost; SIGKILL leaves \"offline\" there")
    func killedTLSBroker() async throws {
        let pki = try await TestCertificates.generate()
        defer { pki.remove() }
        let site = "tlsfo"
        let pair = try await FailoverPair.start(site: site, extra: "reconnect: {min: 250ms, max: 2s}", tls: pki, tagCount: 50)
        defer { pair.meter.stop() }
        let (brokerA, brokerB, bench, checks, onA, onB) = (pair.brokerA, pair.brokerB, pair.bench, pair.checks, pair.onA, pair.onB)
        let (tlsA, tlsB) = (pair.gatewayPortA, pair.gatewayPortB)
        let daemon = try bench.startDaemon()
        #expect(await eventually(timeout: .seconds(30)) { !LedgerView(messages: onA.messages).hourSeqs(site: site).isEmpty },
                "log: \(daemon.log)")
        #expect(await checks.connects(to: tlsA), "log: \(daemon.log)")

        await brokerA.kill()
        #expect(await checks.connects(to: tlsB), "log: \(daemon.log)")
        #expect(daemon.log.contains("broker=mqtts://127.0.0.1:\(tlsB)"), "the log names the TLS broker it moved to: \(daemon.log)")
        let (onlineOnB, stateOnB) = await FailoverChecks.retained("online", port: brokerB.port, site: site)
        #expect(onlineOnB, "retained status on B: \(stateOnB ?? "none")")

        let complete = await eventually(timeout: .seconds(40), pollInterval: .milliseconds(250)) {
            LedgerView(messages: onB.messages).hourSeqs(site: site).count >= 2 && checks.everyClosedHourArrived([onA, onB])
        }
        #expect(complete, "hours missing: \(Set(bench.closedHourEnds()).subtracting(checks.receivedHourEnds([onA, onB])).sorted()); log: \(daemon.log)")

        await daemon.kill()
        let (offlineOnB, stateAfterKill) = await FailoverChecks.retained("offline", port: brokerB.port, site: site)
        #expect(offlineOnB, "retained status on B after SIGKILL: \(stateAfterKill ?? "none")")
        FailoverChecks.expectWhole(onA, onB, site: site)
    }

    @Test("the first broker's certificate is from another CA: named in the log with its address; after one failed return the gateway keeps to the second")
    func oneBrokerWithTheWrongCA() async throws {
        let pki = try await TestCertificates.generate()
        let otherPKI = try await TestCertificates.generate()
        defer { pki.remove(); otherPKI.remove() }
        let brokerA = try await MosquittoBroker.start(.init(tls: otherPKI))
        let brokerB = try await MosquittoBroker.start(.init(tls: pki))
        let tlsA = try #require(brokerA.tlsPort), tlsB = try #require(brokerB.tlsPort)
        let meter = try ModbusTCPServer(port: 0, handler: ChangingMeter())
        meter.start()
        defer { meter.stop() }
        let site = "tlsca"
        let bench = try OutboxBench(brokerPort: tlsA, meterPort: meter.port,
                                    extra: "reconnect: {min: 250ms, max: 2s}\n  tls: {ca_file: \(pki.caFile)}",
                                    site: site, tagCount: 10, fallbackPorts: [tlsB])
        let checks = FailoverChecks(bench: bench)
        let onB = try await TopicRecorder(port: brokerB.port, filter: "plantgate/\(site)/#")
        let daemon = try bench.startDaemon()

        #expect(await checks.connects(to: tlsB), "log: \(daemon.log)")
        let named = daemon.log.split(separator: "\n").filter { $0.contains("certificate verify failed") && $0.contains("127.0.0.1:\(tlsA)") }
        #expect(!named.isEmpty, "the TLS failure on A is not named with A's address: \(daemon.log)")
        #expect(!daemon.log.split(separator: "\n").contains { $0.contains("certificate verify failed") && $0.contains("127.0.0.1:\(tlsB)") })
        // A accepts TCP, so prefer_first's probe (every reconnect.max, 2 s) finds it "back" and the gateway
        // tries it once; after that failed return it must keep to B (the next try is a minute away).
        let leaving = "leaving for the first broker"
        #expect(await eventually(timeout: .seconds(15)) { daemon.log.contains(leaving) }, "log: \(daemon.log)")
        #expect(await checks.connects(to: tlsB), "log: \(daemon.log)")
        let endpoints = try await checks.endpointsSeen(for: .seconds(8))
        #expect(endpoints == ["127.0.0.1:\(tlsB)"], "broker in use over 8 s: \(endpoints); log: \(daemon.log)")
        #expect(daemon.log.components(separatedBy: leaving).count == 2, "left B for A more than once: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(15)) { !LedgerView(messages: onB.messages).hourSeqs(site: site).isEmpty }, "log: \(daemon.log)")
        #expect(await daemon.terminate() == 0)
    }
}
