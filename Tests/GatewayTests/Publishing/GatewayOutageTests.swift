import Foundation
import Modbus
import MQTT
import Outbox
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Reliability scenarios A (broker outage) and D (SIGKILL) with the real daemon: 300 changing tags at
/// 5 Hz, one line on an accelerated plant clock (hourly periods every 10 s), a real mosquitto.
@Suite("plantgated's outbox through broker outages and crashes", .serialized, .timeLimit(.minutes(4)))
struct GatewayOutageTests {
    static let historian = "control-room-historian"

    @Test("30 s broker outage under load: every period record and metric message arrives, in order, no seq gap")
    func brokerOutage() async throws {
        // The subscriber's session must outlive the broker restart, and its queue must not be what drops.
        let broker = try await MosquittoBroker.start(.init(persistence: true, extraSettings: ["max_queued_messages 0"]))
        let meter = try ModbusTCPServer(port: 0, handler: ChangingMeter())
        meter.start()
        defer { meter.stop() }
        let bench = try OutboxBench(brokerPort: broker.port, meterPort: meter.port)
        let recorder = try await TopicRecorder(port: broker.port, filter: "plantgate/\(OutboxBench.site)/lines/#",
                                               qos: .atLeastOnce, clientID: Self.historian, cleanSession: false)
        let raw = try await TopicRecorder(port: broker.port, filter: "plantgate/\(OutboxBench.site)/devices/pm/t299")
        let daemon = try bench.startDaemon()
        let site = OutboxBench.site

        #expect(await eventually(timeout: .seconds(30)) { !LedgerView(messages: recorder.messages).hourSeqs(site: site).isEmpty },
                "log: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(5)) { raw.messages.count >= 10 }, "the 300 tags are polled and published")

        await broker.stop()
        let outageStart = bench.plantNow
        // The gateway keeps polling and closing periods; it must be holding them.
        #expect(await eventually(timeout: .seconds(15)) { ((await bench.brokerStatus())?["spool_depth"] as? Int ?? 0) > 0 })
        try await Task.sleep(for: .seconds(30))   // the scenario: the broker is away for 30 s
        let outageEnd = bench.plantNow
        try await broker.start()

        // Live values resume with the connection and never wait behind the replay:
        // the newest live t299 is at most a poll (plus delivery slack) old while the backlog drains.
        #expect(await eventually(timeout: .seconds(40)) { (await bench.brokerStatus())?["connected"] as? Bool == true })
        let fresh = await eventually(timeout: .seconds(3), pollInterval: .milliseconds(50)) {
            guard let live = raw.objects(on: "plantgate/\(site)/devices/pm/t299").last(where: { $0["hist"] == nil }),
                  let time = (live["t"] as? String).flatMap(Self.date) else { return false }
            return bench.plantNow.timeIntervalSince(time) <= (0.2 + 0.5) * OutboxBench.speed
        }
        let afterReconnect = await bench.brokerStatus()
        #expect(fresh, "live raw values are held behind the backlog; broker status: \(String(describing: afterReconnect))")

        // Everything closed until now arrives: the hour ends form an unbroken run from the first hour on.
        func receivedEnds() -> Set<Date> { Set(LedgerView(messages: recorder.messages).hourEnds(site: site).values.compactMap(Self.date)) }
        // Metric messages resume too: each topic gets one stamped after the outage (a live one, or one
        // computed while the gateway was still reconnecting and replayed).
        func metricsResumed() -> Bool {
            let topics = LedgerView(messages: recorder.messages).metricsByTopic(site: site)
            return !topics.isEmpty && topics.values.allSatisfy { objects in
                objects.contains { ($0["t"] as? String).flatMap(Self.date).map { $0 > outageEnd } ?? false }
            }
        }
        let complete = await eventually(timeout: .seconds(60), pollInterval: .milliseconds(250)) {
            receivedEnds().isSuperset(of: bench.closedHourEnds()) && metricsResumed()
        }
        let expectedEnds = bench.closedHourEnds()
        let view = LedgerView(messages: recorder.messages)
        #expect(complete, "hours missing: \(Set(expectedEnds).subtracting(receivedEnds()).sorted()); log: \(daemon.log)")

        // Period records: seq without gaps, in order, duplicates only as exact repeats of a seq.
        let seqs = view.hourSeqs(site: site)
        let distinct = Array(Set(seqs)).sorted()
        #expect(distinct == Array((distinct.first ?? 0)...(distinct.last ?? 0)), "seq gap: \(seqs)")
        #expect(seqs == seqs.sorted(), "records out of order: \(seqs)")
        #expect(seqs.count - distinct.count <= 64, "duplicates stay within the in-flight window")
        let ends = view.hourEnds(site: site)
        #expect(ends[distinct.first ?? -1].flatMap(Self.date) == expectedEnds.first, "the first record is the first hour after start")
        let closedInOutage = expectedEnds.filter { end in
            end > outageStart && end.addingTimeInterval(5 * OutboxBench.speed) < outageEnd
        }
        #expect(closedInOutage.count >= 2, "the outage must span closed periods for the test to mean anything")

        // Metric messages: per topic in time order, no hole where the outage was, some replayed.
        let metrics = view.metricsByTopic(site: site)
        #expect(metrics.count >= 10, "topics: \(metrics.keys.sorted())")
        view.expectContinuousMetrics(site: site, across: outageStart, outageEnd, liveInterval: 5 * OutboxBench.speed)
        let replayed = metrics.values.joined().filter { $0["hist"] as? Bool == true }.count
        #expect(replayed > 0, "messages held during the outage are flagged hist")
        #expect(await daemon.terminate() == 0)
    }

    @Test("SIGKILL while the broker is away: spooled period records are delivered after restart; the spool passes integrity_check")
    func crashWithFullSpool() async throws {
        let broker = try await MosquittoBroker.start()
        await broker.stop()
        let meter = try ModbusTCPServer(port: 0, handler: ChangingMeter())
        meter.start()
        defer { meter.stop() }
        let bench = try OutboxBench(brokerPort: broker.port, meterPort: meter.port)
        let daemon = try bench.startDaemon()

        // Two hours close with the broker away; the gateway says it holds them, the spool file has them.
        #expect(await eventually(timeout: .seconds(60), pollInterval: .milliseconds(250)) {
            let status = await bench.brokerStatus()
            let periods = (try? await bench.spoolQuery("SELECT count(*) FROM outbox WHERE class = 1 AND topic LIKE '%/periods/hour'").first.flatMap { Int($0) }) ?? 0
            return (status?["spool_depth"] as? Int ?? 0) > 0 && periods >= 2
        }, "log: \(daemon.log)")
        await daemon.kill()
        let spooled = try await bench.spoolQuery("SELECT CAST(payload AS TEXT) FROM outbox WHERE class = 1 AND topic LIKE '%/periods/hour' ORDER BY id")
            .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let spooledSeqs = spooled.compactMap { $0["seq"] as? Int }
        #expect(spooledSeqs.count >= 2)
        #expect(try await bench.spoolQuery("PRAGMA integrity_check") == ["ok"])

        try await broker.start()
        let recorder = try await TopicRecorder(port: broker.port, filter: "plantgate/\(OutboxBench.site)/lines/+/periods/#")
        let restarted = try bench.startDaemon()
        let site = OutboxBench.site
        #expect(await eventually(timeout: .seconds(30)) {
            Set(LedgerView(messages: recorder.messages).hourSeqs(site: site)).isSuperset(of: spooledSeqs)
        }, "spooled \(spooledSeqs), received \(LedgerView(messages: recorder.messages).hourSeqs(site: site)); log: \(restarted.log)")
        let received = LedgerView(messages: recorder.messages)
        let ends = received.hourEnds(site: site)
        for record in spooled {
            guard let seq = record["seq"] as? Int else { continue }
            #expect(ends[seq] == record["end"] as? String, "record \(seq) arrives as it was spooled")
        }
        let copies = recorder.messages.compactMap { LedgerView.object($0) }
        for seq in spooledSeqs {
            #expect(copies.contains { $0["period"] as? String == "hour" && $0["seq"] as? Int == seq && $0["hist"] as? Bool == true }, "record \(seq) is replayed with hist:true")
        }
        // Records closed after the restart continue the sequence without a gap.
        #expect(await eventually(timeout: .seconds(30)) {
            let seqs = Set(LedgerView(messages: recorder.messages).hourSeqs(site: site)).sorted()
            return seqs.count >= spooledSeqs.count + 1 && seqs == Array((seqs.first ?? 0)...(seqs.last ?? 0))
        }, "received \(LedgerView(messages: recorder.messages).hourSeqs(site: site))")
        #expect(await restarted.terminate() == 0)
        #expect(try await bench.spoolQuery("PRAGMA integrity_check") == ["ok"])
    }

    @Test("a tiny mqtt.outbox.max_bytes during an outage drops raw tags first and gateway/stats reports the count")
    func tinySpoolDropsRawFirst() async throws {
        let broker = try await MosquittoBroker.start()
        await broker.stop()
        let meter = try ModbusTCPServer(port: 0, handler: ChangingMeter())
        meter.start()
        defer { meter.stop() }
        let bench = try OutboxBench(brokerPort: broker.port, meterPort: meter.port,
                                    extra: "outbox: {max_bytes: 256KB, offline_raw_capacity: 200}")
        let daemon = try bench.startDaemon()
        #expect(await eventually(timeout: .seconds(30)) { ((await bench.brokerStatus())?["dropped"] as? Int ?? 0) > 0 }, "log: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(30), pollInterval: .milliseconds(250)) { bench.closedHourEnds().count >= 1 })

        try await broker.start()
        let stats = try await TopicRecorder(port: broker.port, filter: "plantgate/\(OutboxBench.site)/gateway/stats")
        let periods = try await TopicRecorder(port: broker.port, filter: "plantgate/\(OutboxBench.site)/lines/+/periods/#")
        var figures: [String: Any] = [:]
        #expect(await eventually(timeout: .seconds(30)) {
            guard let last = stats.objects(on: "plantgate/\(OutboxBench.site)/gateway/stats").last,
                  last["mqtt_connected"] as? Bool == true, (last["dropped_raw"] as? Int ?? 0) > 0 else { return false }
            figures = last
            return true
        }, "stats: \(stats.messages.map(\.text))")
        #expect(figures["dropped_period"] as? Int == 0)
        #expect(figures["dropped_metric"] as? Int == 0)
        #expect(figures["dropped_total"] as? Int == figures["dropped_raw"] as? Int)
        #expect((figures["spool_bytes"] as? Int ?? .max) <= 256 * 1024)
        for key in ["spool_depth", "inflight", "replayed", "memory_depth", "published", "acknowledged", "mqtt_connects"] {
            #expect(figures[key] is Int, "gateway/stats lacks \(key): \(figures)")
        }
        // The period records that closed during the outage survive the drops.
        #expect(await eventually(timeout: .seconds(20)) {
            let seqs = Set(LedgerView(messages: periods.messages).hourSeqs(site: OutboxBench.site)).sorted()
            return !seqs.isEmpty && seqs == Array((seqs.first ?? 0)...(seqs.last ?? 0))
                && seqs.count >= bench.closedHourEnds().count
        }, "periods: \(LedgerView(messages: periods.messages).hourSeqs(site: OutboxBench.site))")
        #expect(await daemon.terminate() == 0)
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
