import Foundation
import Modbus
import MQTT
import TestSupport

/// Two persistent mosquitto, a `ChangingMeter`, and an `OutboxBench` listing both brokers in `mqtt.hosts`,
/// with a historian holding a persistent session on each broker's plain listener (their queues must not be
/// what drops).
struct FailoverPair {
    let brokerA: MosquittoBroker
    let brokerB: MosquittoBroker
    let meter: ModbusTCPServer
    let bench: OutboxBench
    let onA: TopicRecorder
    let onB: TopicRecorder
    /// The ports the gateway connects to: the TLS listeners with `tls`, else the plain ones.
    let gatewayPortA: Int
    let gatewayPortB: Int

    var checks: FailoverChecks { FailoverChecks(bench: bench) }

    /// `tls`: both brokers get a TLS listener with its server certificate, and the gateway uses those,
    /// trusting its CA. `extra` goes into the gateway's `mqtt` section.
    static func start(site: String = OutboxBench.site, extra: String, tls: TestCertificates? = nil,
                      tagCount: Int = OutboxBench.tagCount) async throws -> FailoverPair {
        let settings = MosquittoBroker.Configuration(tls: tls, persistence: true, extraSettings: ["max_queued_messages 0"])
        let brokerA = try await MosquittoBroker.start(settings)
        let brokerB = try await MosquittoBroker.start(settings)
        let meter = try ModbusTCPServer(port: 0, handler: ChangingMeter())
        meter.start()
        let portA = tls == nil ? brokerA.port : try brokerA.tlsPort.orThrow("no TLS listener on broker A")
        let portB = tls == nil ? brokerB.port : try brokerB.tlsPort.orThrow("no TLS listener on broker B")
        let trust = tls.map { "\n  tls: {ca_file: \($0.caFile)}" } ?? ""
        let bench = try OutboxBench(brokerPort: portA, meterPort: meter.port, extra: extra + trust, site: site, tagCount: tagCount,
                                    fallbackPorts: [portB])
        let onA = try await TopicRecorder(port: brokerA.port, filter: "plantgate/\(site)/lines/#", qos: .atLeastOnce,
                                          clientID: "historian-\(site)-a", cleanSession: false)
        let onB = try await TopicRecorder(port: brokerB.port, filter: "plantgate/\(site)/lines/#", qos: .atLeastOnce,
                                          clientID: "historian-\(site)-b", cleanSession: false)
        return FailoverPair(brokerA: brokerA, brokerB: brokerB, meter: meter, bench: bench, onA: onA, onB: onB,
                            gatewayPortA: portA, gatewayPortB: portB)
    }
}

extension Optional {
    func orThrow(_ words: String) throws -> Wrapped {
        guard let value = self else { throw TestSupportError(words) }
        return value
    }
}
