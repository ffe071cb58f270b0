import Foundation
import Modbus
import MQTT
import Outbox
import Testing
import TestSupport

/// `mqtt.hosts: [A, B]`: the real daemon under load moves to B when A goes away, loses and reorders
/// nothing on the way, leaves B's retained status online, and goes back to A (`prefer_first`) once A returns.
@Suite("plantgated fails over between brokers", .serialized, .timeLimit(.minutes(3)))
struct BrokerFailoverTests {
    @Test("broker A stops under load: the gateway moves to B within the back-off cap, every period record and metric arrives, then it returns to A")
    func failoverAndReturn() async throws {
        // Persistent subscribers on both brokers; their queues must not be what drops.
        let settings = MosquittoBroker.Configuration(persistence: true, extraSettings: ["max_queued_messages 0"])
        let brokerA = try await MosquittoBroker.start(settings)
        let brokerB = try await MosquittoBroker.start(settings)
        let meter = try ModbusTCPServer(port: 0, handler: ChangingMeter())
        meter.start()
        defer { meter.stop() }
        let site = OutboxBench.site
        let bench = try OutboxBench(brokerPort: brokerA.port, meterPort: meter.port, extra: "reconnect: {min: 250ms, max: 2s}",
                                    fallbackPorts: [brokerB.port])
        let onA = try await TopicRecorder(port: brokerA.port, filter: "plantgate/\(site)/lines/#", qos: .atLeastOnce,
                                          clientID: "historian-a", cleanSession: false)
        let onB = try await TopicRecorder(port: brokerB.port, filter: "plantgate/\(site)/lines/#", qos: .atLeastOnce,
                                          clientID: "historian-b", cleanSession: false)
        let daemon = try bench.startDaemon()
        func endpoint() async -> String? { (await bench.brokerStatus())?["endpoint"] as? String }

        #expect(await eventually(timeout: .seconds(30)) { !LedgerView(messages: onA.messages).hourSeqs(site: site).isEmpty },
                "log: \(daemon.log)")
        #expect(await endpoint() == "127.0.0.1:\(brokerA.port)")

        await brokerA.stop()
        let stopped = ContinuousClock.now
        let movedToB = await eventually(timeout: .seconds(15), pollInterval: .milliseconds(50)) {
            (await bench.brokerStatus()).map { $0["connected"] as? Bool == true && $0["endpoint"] as? String == "127.0.0.1:\(brokerB.port)" } ?? false
        }
        let took = ContinuousClock.now - stopped
        #expect(movedToB, "log: \(daemon.log)")
        // The cap is 2 s; the slack covers a busy 2-core machine.
        #expect(took <= .seconds(2 + 6), "moved to B \(took) after A stopped")
        print("measured: moved to broker B \(took) after broker A stopped")
        #expect(daemon.log.contains("127.0.0.1:\(brokerB.port)"), "the log names the broker it connected to: \(daemon.log)")

        // Records close on B; the status B keeps for late readers says online.
        #expect(await eventually(timeout: .seconds(30)) { LedgerView(messages: onB.messages).hourSeqs(site: site).count >= 2 },
                "log: \(daemon.log)")
        let lateOnB = try await TopicRecorder(port: brokerB.port, filter: "plantgate/\(site)/status")
        #expect(await eventually(timeout: .seconds(5)) {
            lateOnB.messages.contains { $0.retained && LedgerView.object($0)?["state"] as? String == "online" }
        }, "retained status on B: \(lateOnB.messages.map(\.text))")

        // A is back: prefer_first takes the gateway home within a probe interval (the cap) plus slack.
        try await brokerA.start()
        #expect(await eventually(timeout: .seconds(15), pollInterval: .milliseconds(100)) {
            (await bench.brokerStatus()).map { $0["connected"] as? Bool == true && $0["endpoint"] as? String == "127.0.0.1:\(brokerA.port)" } ?? false
        }, "log: \(daemon.log)")
        let seqsOnBAtReturn = Set(LedgerView(messages: onB.messages).hourSeqs(site: site))
        // B saw the gateway vanish without DISCONNECT: its retained status is the last will.
        let lateOnB2 = try await TopicRecorder(port: brokerB.port, filter: "plantgate/\(site)/status")
        #expect(await eventually(timeout: .seconds(20)) {
            lateOnB2.messages.contains { $0.retained && LedgerView.object($0)?["state"] as? String == "offline" }
        }, "retained status on B after the return: \(lateOnB2.messages.map(\.text))")

        // Everything closed so far arrives across both brokers; A gets records after the return.
        func union() -> [TopicRecorder.Message] { onA.messages + onB.messages }
        func receivedEnds() -> Set<Date> { Set(LedgerView(messages: union()).hourEnds(site: site).values.compactMap(GatewayOutageTests.date)) }
        let complete = await eventually(timeout: .seconds(40), pollInterval: .milliseconds(250)) {
            let onAAfterReturn = LedgerView(messages: onA.messages).hourSeqs(site: site).filter { $0 > (seqsOnBAtReturn.max() ?? .max) }
            return !onAAfterReturn.isEmpty && receivedEnds().isSuperset(of: bench.closedHourEnds())
        }
        #expect(complete, "hours missing: \(Set(bench.closedHourEnds()).subtracting(receivedEnds()).sorted()); log: \(daemon.log)")
        #expect(await daemon.terminate() == 0)

        // Period records: seq without a gap across the union, in order on each broker.
        let seqsA = LedgerView(messages: onA.messages).hourSeqs(site: site)
        let seqsB = LedgerView(messages: onB.messages).hourSeqs(site: site)
        let distinct = Array(Set(seqsA + seqsB)).sorted()
        #expect(distinct == Array((distinct.first ?? 0)...(distinct.last ?? 0)), "seq gap: A \(seqsA), B \(seqsB)")
        #expect(seqsA == seqsA.sorted(), "records out of order on A: \(seqsA)")
        #expect(seqsB == seqsB.sorted(), "records out of order on B: \(seqsB)")
        #expect(!seqsB.isEmpty && Set(seqsA).isSuperset(of: [distinct.first ?? -1, distinct.last ?? -1]), "A \(seqsA), B \(seqsB)")

        // Metric messages: in time order on each broker; across both, no hole on any topic.
        let metricsA = LedgerView(messages: onA.messages).metricsByTopic(site: site)
        let metricsB = LedgerView(messages: onB.messages).metricsByTopic(site: site)
        #expect(metricsA.count >= 10 && !metricsB.isEmpty, "topics: A \(metricsA.keys.sorted()), B \(metricsB.keys.sorted())")
        func times(_ objects: [[String: Any]]) -> [Date] { objects.compactMap { ($0["t"] as? String).flatMap(GatewayOutageTests.date) } }
        for (topic, objects) in metricsA {
            let fromA = times(objects), fromB = times(metricsB[topic] ?? [])
            #expect(fromA == fromA.sorted() && fromB == fromB.sorted(), "\(topic) out of order on a broker")
            let all = Array(Set(fromA + fromB)).sorted()
            let gaps = zip(all.dropFirst(), all).map { $0.timeIntervalSince($1) }
            let limit = topic.hasSuffix("/demand_kw_15m") ? 900 : 3 * 5 * OutboxBench.speed
            #expect((gaps.max() ?? 0) <= limit, "\(topic): hole of \(gaps.max() ?? 0) plant s across both brokers")
        }
    }
}
