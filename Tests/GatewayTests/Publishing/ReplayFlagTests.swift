import Foundation
import Modbus
import MQTT
import Outbox
import Testing
import TestSupport

/// Every message a subscriber receives a second time says so: `"hist":true` on each copy after the first.
@Suite("re-sent messages carry hist:true", .serialized, .timeLimit(.minutes(3)))
struct ReplayFlagTests {
    @Test("SIGKILL with period records and metrics in flight: every duplicate a subscriber sees is flagged hist")
    func duplicatesAfterAKillAreFlagged() async throws {
        let broker = try await MosquittoBroker.start()
        let meter = try ModbusTCPServer(port: 0, handler: ChangingMeter())
        meter.start()
        defer { meter.stop() }
        let bench = try OutboxBench(brokerPort: broker.port, meterPort: meter.port)
        let site = OutboxBench.site
        let recorder = try await TopicRecorder(port: broker.port, filter: "plantgate/\(site)/lines/#")
        let daemon = try bench.startDaemon()
        func records() -> [TopicRecorder.Message] { recorder.messages.filter { $0.topic.contains("/periods/") } }

        // Hourly records every 10 s and 15-minute ones every 2.5 s (real): wait for a few, then catch a close.
        #expect(await eventually(timeout: .seconds(40)) { LedgerView(messages: recorder.messages).hourSeqs(site: site).count >= 2 },
                "log: \(daemon.log)")
        let seen = records().count
        #expect(await eventually(timeout: .seconds(10), pollInterval: .milliseconds(20)) { records().count > seen })

        // The broker freezes: what the daemon sends now stays unacknowledged in its spool (in flight), and
        // the record just closed is still pending in the state store. Then the daemon dies.
        broker.suspend()
        #expect(await eventually(timeout: .seconds(15), pollInterval: .milliseconds(100)) {
            ((await bench.brokerStatus())?["spool_depth"] as? Int ?? 0) > 0
        }, "log: \(daemon.log)")
        await daemon.kill()
        broker.resume()

        let restartIndex = recorder.messages.count
        let restarted = try bench.startDaemon()
        let before = Set(LedgerView(messages: recorder.messages).hourSeqs(site: site))
        // Records closed after the restart arrive: the replay before them is done.
        #expect(await eventually(timeout: .seconds(40)) {
            Set(LedgerView(messages: recorder.messages).hourSeqs(site: site)).subtracting(before).count >= 2
        }, "log: \(restarted.log)")
        #expect(await restarted.terminate() == 0)

        // Group every non-retained message by its content without the flag. A period record received more than
        // once is a re-send wherever it comes from: every copy after the first must carry hist:true. Any other
        // message received again after the restart, having first arrived before it, is a re-send too.
        var copies: [String: [(flagged: Bool, index: Int)]] = [:]
        var order: [String] = []
        for (index, message) in recorder.messages.enumerated() where !message.retained {
            let flagged = message.text.hasPrefix(#"{"hist":true,"#)
            let content = message.topic + " " + (flagged ? "{" + message.text.dropFirst(#"{"hist":true,"#.count) : message.text)
            if copies[content] == nil { order.append(content) }
            copies[content, default: []].append((flagged, index))
        }
        let duplicates = order.filter { (copies[$0]?.count ?? 0) > 1 }
        let recordDuplicates = duplicates.filter { $0.contains("/periods/") }
        #expect(!recordDuplicates.isEmpty, "the kill left no record to re-send; the test proves nothing. log: \(restarted.log)")
        for content in duplicates {
            let all = copies[content] ?? []
            let resent = content.contains("/periods/") ? Array(all.dropFirst())
                : all.first.map { $0.index < restartIndex } == true ? all.filter { $0.index >= restartIndex } : []
            let flags = all.map { $0.flagged }
            let resentFlagged = resent.allSatisfy { $0.flagged }
            #expect(resentFlagged, "a re-sent copy lacks hist:true: \(content.prefix(200)) flags \(flags)")
        }
        // And each record seq arrives under one content only: a re-send is the same record, not a re-computation.
        var contentsBySeq: [String: Set<String>] = [:]
        for message in records() {
            guard let object = LedgerView.object(message), let seq = object["seq"] as? Int else { continue }
            var plain = object
            plain["hist"] = nil
            let data = try JSONSerialization.data(withJSONObject: plain, options: [.sortedKeys])
            contentsBySeq["\(message.topic)#\(seq)", default: []].insert(String(decoding: data, as: UTF8.self))
        }
        for (key, contents) in contentsBySeq {
            #expect(contents.count == 1, "\(key) arrived with different figures: \(contents)")
        }
    }
}
