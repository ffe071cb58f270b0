import Foundation
@testable import Gateway
import Logging
import MQTT
import Outbox
import Testing

/// The publisher's decisions on a manual clock: no broker, no spool file, no waiting.
@Suite("PublisherCore decisions")
struct PublisherCoreTests {
    /// Plays the spool and the MQTT client for the core: keeps rows in memory, numbers sends, records every action.
    final class Outside {
        var actions: [PublisherAction] = []
        var rows: [SpooledMessage] = []
        var nextID: Int64 = 0
        var nextMID: Int32 = 0
        var online = true

        var sends: [(topic: String, payload: String, mid: MQTTMessageID)] = []

        func perform(_ action: PublisherAction) -> PublisherOutcome {
            actions.append(action)
            switch action {
            case .spool(let messages):
                for message in messages {
                    nextID += 1
                    rows.append(SpooledMessage(id: nextID, message: message))
                }
                return .spooled(lastID: nextID, dropped: [:], totals: totals)
            case .send(let topic, let payload, _, _):
                guard online else { return .notTaken(noConnection: true, reason: "no connection") }
                nextMID += 1
                let mid = MQTTMessageID(rawValue: nextMID)
                sends.append((topic, String(decoding: payload, as: UTF8.self), mid))
                return .sent(mid)
            case .readSpool(let after, let limit):
                return .rows(Array(rows.filter { $0.id > after }.prefix(limit)))
            case .delete(let ids):
                rows.removeAll { ids.contains($0.id) }
                return .trimmed(dropped: [:], totals: totals)
            case .applyLimits:
                return .trimmed(dropped: [:], totals: totals)
            case .log:
                return .done
            }
        }

        var totals: SpoolTotals {
            var totals = SpoolTotals()
            for row in rows { totals.count[row.message.messageClass, default: 0] += 1 }
            return totals
        }

        var warnings: [String] {
            actions.compactMap { if case .log(.warning, let text, _) = $0 { text } else { nil } }
        }
    }

    static let second: Int64 = 1_000_000_000

    func makeCore(_ outside: Outside, window: Int = 64) -> PublisherCore {
        let options = PublisherOptions(client: MQTTClientOptions(host: "127.0.0.1", clientID: "core-test"), statusTopic: "plantgate/s1/status",
                                       version: "9.9.9", started: Date(timeIntervalSince1970: 0), limits: OutboxLimits(inflightWindow: window))
        return PublisherCore(options: options, spooledThrough: 0, totals: SpoolTotals(), now: 0, perform: outside.perform)
    }

    func metric(_ value: Int) -> PublisherEvent {
        .message(OutboxMessage(topic: "plantgate/s1/lines/l1/energy", text: #"{"v":\#(value)}"#, qos: .atLeastOnce, retain: true, messageClass: .metric))
    }

    func raw(_ value: Int) -> PublisherEvent {
        .message(OutboxMessage(topic: "plantgate/s1/devices/m1/p", text: #"{"v":\#(value)}"#, qos: .atMostOnce, retain: false, messageClass: .raw))
    }

    @Test("online on connect, offline on shutdown, and the offline ack is noticed")
    func statusMessages() {
        let outside = Outside()
        var core = makeCore(outside)
        core.handle([.connected(broker: "127.0.0.1:1883", endpoint: "127.0.0.1:1883")], now: 0)
        #expect(outside.sends.map(\.topic) == ["plantgate/s1/status"])
        #expect(outside.sends[0].payload.contains(#""state":"online""#))
        core.handle([.shutdown], now: Self.second)
        #expect(outside.sends.last?.payload.contains(#""state":"offline""#) == true)
        #expect(!core.offlineAcknowledged)
        core.handle([.acknowledged(outside.sends.last!.mid)], now: 2 * Self.second)
        #expect(core.offlineAcknowledged)
    }

    @Test("durable messages are spooled before they are sent, at most the window in flight")
    func inflightWindow() {
        let outside = Outside()
        var core = makeCore(outside, window: 3)
        core.handle([.connected(broker: "b", endpoint: "b")], now: 0)
        core.handle((1...10).map(metric), now: Self.second)
        let firstSend = outside.actions.firstIndex { if case .send(let topic, _, _, _) = $0 { topic.hasSuffix("energy") } else { false } }
        let spool = outside.actions.firstIndex { if case .spool = $0 { true } else { false } }
        #expect(spool != nil && firstSend != nil && spool! < firstSend!)
        #expect(core.inflight.count == 3)
        #expect(outside.sends.filter { $0.topic.hasSuffix("energy") }.map(\.payload) == [#"{"v":1}"#, #"{"v":2}"#, #"{"v":3}"#])
        core.handle([.acknowledged(outside.sends[1].mid)], now: 2 * Self.second)
        #expect(core.inflight.count == 3)
        #expect(outside.sends.last?.payload == #"{"v":4}"#)
        #expect(outside.rows.count == 9)
    }

    @Test("a window without any ack for 30 s is handed over again, flagged historical; not a moment sooner")
    func stallRecovery() {
        let outside = Outside()
        var core = makeCore(outside, window: 2)
        core.handle([.connected(broker: "b", endpoint: "b")], now: 0)
        core.handle([metric(1), metric(2)], now: 10 * Self.second)
        #expect(core.nextDeadline == 40 * Self.second)
        let sentBefore = outside.sends.count
        core.handle([.deadline], now: 40 * Self.second - 1)
        #expect(outside.sends.count == sentBefore)
        #expect(outside.warnings.isEmpty)
        core.handle([.deadline], now: 40 * Self.second)
        #expect(outside.warnings.contains { $0.contains("no acknowledgement from the MQTT broker for 30 s") })
        let resent = outside.sends.dropFirst(sentBefore).map(\.payload)
        #expect(resent == [#"{"hist":true,"v":1}"#, #"{"hist":true,"v":2}"#])
        #expect(core.nextDeadline == 60 * Self.second)  // the spool holds rows: its age bound comes first
    }

    @Test("idle with nothing in flight and an empty spool: no deadline, so no wake-up")
    func idleHasNoDeadline() {
        let outside = Outside()
        var core = makeCore(outside)
        core.handle([.connected(broker: "b", endpoint: "b")], now: 0)
        core.handle([raw(1), raw(2)], now: Self.second)
        #expect(core.nextDeadline == nil)
        core.handle([metric(1)], now: 2 * Self.second)
        #expect(core.nextDeadline != nil)
        core.handle([.acknowledged(outside.sends.last!.mid)], now: 3 * Self.second)
        #expect(core.nextDeadline == nil)
    }

    @Test("raw tags wait in memory while the broker is away and go out flagged historical on reconnect")
    func offlineRawReplay() {
        let outside = Outside()
        outside.online = false
        var core = makeCore(outside)
        core.handle([raw(1), raw(2)], now: 0)
        #expect(core.snapshot().memoryDepth == 2)
        outside.online = true
        core.handle([.connected(broker: "b", endpoint: "b")], now: Self.second)
        #expect(outside.sends.map(\.payload).suffix(2) == [#"{"hist":true,"v":1}"#, #"{"hist":true,"v":2}"#])
        #expect(core.snapshot().replayed == 2)
    }

    @Test("the spool's age bound is applied once a minute while it holds rows")
    func limitCheckCadence() {
        let outside = Outside()
        outside.online = false
        var core = makeCore(outside)
        core.handle([metric(1)], now: 0)
        // In seconds, not the core's own constant: "once a minute" is the promise under test.
        #expect(core.nextDeadline == 60 * Self.second)
        core.handle([.deadline], now: 60 * Self.second - 1)
        #expect(!outside.actions.contains { $0 == .applyLimits })
        core.handle([.deadline], now: 60 * Self.second)
        #expect(outside.actions.contains { $0 == .applyLimits })
        #expect(core.nextDeadline == 120 * Self.second)
    }
}
