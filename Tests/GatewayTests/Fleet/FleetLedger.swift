import Foundation
import MQTT
import Testing
import TestSupport

/// What the central historian received from one site, with the checks an outage must pass.
struct FleetLedger {
    let site: String
    let view: LedgerView

    init(site: String, messages: [MQTTMessage]) {
        self.site = site
        view = LedgerView(messages: messages.map {
            TopicRecorder.Message(topic: $0.topic, text: $0.text, retained: $0.retain, qos: Int($0.qos.rawValue))
        })
    }

    var hourSeqs: [Int] { view.hourSeqs(site: site) }
    var hourEnds: Set<Date> { Set(view.hourEnds(site: site).values.compactMap(GatewayOutageTests.date)) }
    var metricsByTopic: [String: [[String: Any]]] { view.metricsByTopic(site: site) }

    /// Every hour closed by now arrived, and every metric topic has a value stamped after `after`.
    func isComplete(clock: OutboxBench, after: Date) -> Bool {
        let metrics = metricsByTopic
        return hourEnds.isSuperset(of: clock.closedHourEnds()) && !metrics.isEmpty && metrics.values.allSatisfy { objects in
            objects.contains { ($0["t"] as? String).flatMap(GatewayOutageTests.date).map { $0 > after } ?? false }
        }
    }

    /// Records and metrics across an outage from `start` to `end` (plant time): no seq gap, in order,
    /// every hour closed in the outage present, no hole in any metric topic.
    func expectLossless(outageStart start: Date, end: Date, clock: OutboxBench, _ what: String) {
        let seqs = hourSeqs
        let distinct = Array(Set(seqs)).sorted()
        #expect(!distinct.isEmpty, "\(what): no period record at the central broker")
        #expect(distinct == Array((distinct.first ?? 0)...(distinct.last ?? 0)), "\(what): seq gap in \(seqs)")
        // At least once: a record can come again after an outage (docs/mqtt.md); the first copies are in order.
        var seen = Set<Int>()
        let firstCopies = seqs.filter { seen.insert($0).inserted }
        #expect(firstCopies == firstCopies.sorted(), "\(what): period records out of order: \(seqs)")
        let closedInOutage = clock.closedHourEnds().filter { $0 > start && $0.addingTimeInterval(5 * OutboxBench.speed) < end }
        #expect(closedInOutage.count >= 4, "\(what): the outage must span closed periods to mean anything")
        #expect(hourEnds.isSuperset(of: closedInOutage), "\(what): hours missing: \(closedInOutage.filter { !hourEnds.contains($0) })")
        #expect(metricsByTopic.count >= 5, "\(what): metric topics \(metricsByTopic.keys.sorted())")
        view.expectContinuousMetrics(site: site, across: start, end, liveInterval: 5 * OutboxBench.speed, "\(what): ")
    }
}
