import Foundation
import Testing
import TestSupport

/// What the failover tests read off two brokers: which one the gateway uses, what each one's retained
/// `status` tells a reader connecting now, and whether the period records and metrics seen across both
/// historians are whole.
struct FailoverChecks {
    let bench: OutboxBench

    /// `127.0.0.1:port` of the broker the daemon is connected to (`plantgate status --json`), nil when none.
    func connectedEndpoint() async -> String? {
        guard let broker = await bench.brokerStatus(), broker["connected"] as? Bool == true else { return nil }
        return broker["endpoint"] as? String
    }

    /// Waits until the daemon is connected to the broker on `port`.
    func connects(to port: Int, within timeout: Duration = .seconds(15)) async -> Bool {
        await eventually(timeout: timeout, pollInterval: .milliseconds(50)) { await connectedEndpoint() == "127.0.0.1:\(port)" }
    }

    /// Every broker the daemon reported being on (`none` while it was on none), polled for `duration`.
    func endpointsSeen(for duration: Duration) async throws -> Set<String> {
        let until = ContinuousClock.now + duration
        var seen: Set<String> = []
        while ContinuousClock.now < until {
            seen.insert(await connectedEndpoint() ?? "none")
            try await Task.sleep(for: .milliseconds(100))
        }
        return seen
    }

    /// The `state` of the retained status a reader connecting now to `port` is given, nil when none is retained.
    static func retainedState(port: Int, site: String) async -> String? {
        guard let reader = try? await TopicRecorder(port: port, filter: "plantgate/\(site)/status") else { return nil }
        defer { reader.stop() }
        _ = await eventually(timeout: .seconds(3)) { reader.messages.contains { $0.retained } }
        return reader.messages.last { $0.retained }.flatMap { LedgerView.object($0)?["state"] as? String }
    }

    /// Waits until the retained status on `port` reads `state`; the last state read otherwise.
    static func retained(_ state: String, port: Int, site: String, within timeout: Duration = .seconds(20)) async -> (Bool, String?) {
        var last: String?
        let reached = await eventually(timeout: timeout, pollInterval: .milliseconds(500)) {
            last = await retainedState(port: port, site: site)
            return last == state
        }
        return (reached, last)
    }

    /// Whether every hourly record closed by now has reached one of `historians`.
    func everyClosedHourArrived(_ historians: [TopicRecorder]) -> Bool {
        receivedHourEnds(historians).isSuperset(of: bench.closedHourEnds())
    }

    func receivedHourEnds(_ historians: [TopicRecorder]) -> Set<Date> {
        Set(LedgerView(messages: historians.flatMap(\.messages)).hourEnds(site: bench.siteID).values.compactMap(GatewayOutageTests.date))
    }

    /// Period records: `seq` without a gap over the union of both brokers, in order on each. Metric messages:
    /// in time order on each broker, and across both no hole on any topic.
    static func expectWhole(_ onA: TopicRecorder, _ onB: TopicRecorder, site: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let seqsA = LedgerView(messages: onA.messages).hourSeqs(site: site)
        let seqsB = LedgerView(messages: onB.messages).hourSeqs(site: site)
        let distinct = Array(Set(seqsA + seqsB)).sorted()
        #expect(distinct.count >= 2 && distinct == Array((distinct.first ?? 0)...(distinct.last ?? 0)), "seq gap: A \(seqsA), B \(seqsB)",
                sourceLocation: sourceLocation)
        #expect(seqsA == seqsA.sorted(), "records out of order on A: \(seqsA)", sourceLocation: sourceLocation)
        #expect(seqsB == seqsB.sorted(), "records out of order on B: \(seqsB)", sourceLocation: sourceLocation)

        let metricsA = LedgerView(messages: onA.messages).metricsByTopic(site: site)
        let metricsB = LedgerView(messages: onB.messages).metricsByTopic(site: site)
        #expect(metricsA.count >= 10 && !metricsB.isEmpty, "topics: A \(metricsA.keys.sorted()), B \(metricsB.keys.sorted())",
                sourceLocation: sourceLocation)
        func times(_ objects: [[String: Any]]) -> [Date] { objects.compactMap { ($0["t"] as? String).flatMap(GatewayOutageTests.date) } }
        for (topic, objects) in metricsA {
            let fromA = times(objects), fromB = times(metricsB[topic] ?? [])
            #expect(fromA == fromA.sorted() && fromB == fromB.sorted(), "\(topic) out of order on a broker", sourceLocation: sourceLocation)
            let all = Array(Set(fromA + fromB)).sorted()
            let gaps = zip(all.dropFirst(), all).map { $0.timeIntervalSince($1) }
            let limit = topic.hasSuffix("/demand_kw_15m") ? 900 : 3 * 5 * OutboxBench.speed
            #expect((gaps.max() ?? 0) <= limit, "\(topic): hole of \(gaps.max() ?? 0) plant s across both brokers", sourceLocation: sourceLocation)
        }
    }
}
