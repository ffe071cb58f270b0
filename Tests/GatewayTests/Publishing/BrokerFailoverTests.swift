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
        let site = OutboxBench.site
        let pair = try await FailoverPair.start(extra: "reconnect: {min: 250ms, max: 2s}")
        defer { pair.meter.stop() }
        let (brokerA, brokerB, bench, onA, onB) = (pair.brokerA, pair.brokerB, pair.bench, pair.onA, pair.onB)
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

        FailoverChecks.expectWhole(onA, onB, site: site)
        // prefer_first: the first and the last records went to A, some in between to B.
        let seqsA = LedgerView(messages: onA.messages).hourSeqs(site: site)
        let seqsB = LedgerView(messages: onB.messages).hourSeqs(site: site)
        let distinct = Array(Set(seqsA + seqsB)).sorted()
        #expect(!seqsB.isEmpty && Set(seqsA).isSuperset(of: [distinct.first ?? -1, distinct.last ?? -1]), "A \(seqsA), B \(seqsB)")
    }
}
