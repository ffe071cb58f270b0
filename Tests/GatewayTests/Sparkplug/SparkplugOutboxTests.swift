import Foundation
import Logging
import Outbox
import PlantModel
import Sparkplug
import Synchronization
import Testing
import TestSupport

@testable import Gateway

/// The Sparkplug outbox over a real spool file and a session whose "client" records what it is given.
@Suite struct SparkplugOutboxTests {
    final class Sent: Sendable {
        let messages = Mutex<[SparkplugMessage]>([])
        var types: [SparkplugMessageType] { messages.withLock { $0.map(\.type) } }
    }

    struct Rig {
        let session: SparkplugSession
        let outbox: SparkplugOutbox
        let sent: Sent
        let log: CapturedLog

        init(maxBytes: Int = 1 << 20, stateDirectory: URL? = nil) throws {
            let device = SparkplugDevice(id: "pm", metrics: [SparkplugMetricDefinition(name: "power", dataType: .double, unit: "kW")])
            let node = try SparkplugNode(
                configuration: SparkplugNodeConfiguration(groupID: "g1", edgeNodeID: "gw1"), nodeMetrics: [], devices: [device])
            let sent = Sent()
            let handover = SparkplugHandover()
            session = SparkplugSession(
                node: node, clock: { 1_000 },
                publish: { message in
                    sent.messages.withLock { $0.append(message) }
                    handover.handed.add(1, ordering: .relaxed)
                    handover.written.add(1, ordering: .relaxed)
                },
                subscribe: { _ in })
            log = CapturedLog()
            outbox = try SparkplugOutbox(
                stateDirectory: try (stateDirectory ?? temporaryDirectory("sparkplug-outbox")).path, limits: OutboxLimits(maxBytes: maxBytes),
                session: session, handover: handover, configuration: SparkplugConfig(groupID: "g1", edgeNodeID: "gw1"), logger: log.logger)
            self.sent = sent
        }

        /// One engine pass per value, as the bridge feeds them.
        func pass(_ values: [Double], from time: UInt64 = 100) throws {
            for (offset, value) in values.enumerated() {
                var kept: [OutboxMessage] = []
                let update = SparkplugValueUpdate(metric: "power", value: .double(value), quality: .good, timestampMs: time + UInt64(offset))
                try session.deviceDataOrKeep("pm", [update]) { kept.append(outbox.keep($0, $1)) }
                outbox.store(kept)
            }
            outbox.finish()
        }
    }

    @Test func keptChangesFollowTheBirthsInOrderThenLiveDataFlowsAgain() throws {
        let rig = try Rig()
        rig.session.connected()
        rig.session.disconnected()
        try rig.pass([1, 2, 2, 3])
        #expect(rig.outbox.figures.waiting == 3, "an unchanged value is not kept")
        rig.sent.messages.withLock { $0.removeAll() }

        rig.session.connected()
        rig.outbox.replaySoon()
        rig.outbox.finish()
        #expect(rig.sent.types == [.nodeBirth, .deviceBirth, .deviceData, .deviceData, .deviceData])
        #expect(rig.sent.messages.withLock { $0.compactMap(\.seq) } == [0, 1, 2, 3, 4])
        #expect(rig.outbox.figures.waiting == 0 && rig.outbox.figures.replayed == 3)
        #expect(!rig.session.holdsBacklog)

        try rig.pass([4], from: 200)
        #expect(rig.sent.types.last == .deviceData && rig.sent.messages.withLock { $0.count } == 6)
        #expect(rig.outbox.figures.waiting == 0, "a live value went to the spool")
    }

    /// The replay that follows storing a pass's kept values is the last one before live data, when no other
    /// comes (the one at the connect ran while this pass's value was still queued): it must end the backlog.
    /// Seen in CI as live DDATA that never came back after a broker outage, under load.
    @Test func theReplayAfterAStoreReleasesTheBacklogOnceNothingIsQueued() throws {
        let rig = try Rig()
        rig.session.connected()
        rig.session.disconnected()
        try rig.pass([1, 2])
        rig.session.connected()
        #expect(rig.session.holdsBacklog)

        try rig.pass([3], from: 200)
        #expect(rig.outbox.figures.waiting == 0 && rig.outbox.figures.replayed == 3)
        #expect(!rig.session.holdsBacklog, "live data still waits behind an empty backlog")
        let before = rig.sent.messages.withLock { $0.count }
        try rig.pass([4], from: 300)
        #expect(rig.sent.messages.withLock { $0.count } == before + 1 && rig.outbox.figures.waiting == 0, "the next value went live")
    }

    @Test func aFullSpoolDropsTheOldestAndSaysSoWithCounts() throws {
        let rig = try Rig(maxBytes: 600)
        rig.session.connected()
        rig.session.disconnected()
        try rig.pass((1...40).map(Double.init))
        let figures = rig.outbox.figures
        #expect(figures.dropped > 0 && figures.waiting + figures.dropped == 40, "\(figures)")
        let warnings = rig.log.lines(atLeast: .warning)
        #expect(warnings.contains { $0.contains("stored DDATA records dropped") && $0.contains("bounds") }, "\(warnings)")

        // What is left is the newest, replayed in order.
        rig.sent.messages.withLock { $0.removeAll() }
        rig.session.connected()
        rig.outbox.replaySoon()
        rig.outbox.finish()
        #expect(rig.sent.types.filter { $0 == .deviceData }.count == figures.waiting)
    }

    @Test func recordsKeptByOneProcessReplayInTheNextBeforeAnyLiveValue() throws {
        let directory = try temporaryDirectory("sparkplug-outbox")
        do {
            let first = try Rig(stateDirectory: directory)
            first.session.connected()
            first.session.disconnected()
            try first.pass([1, 2])
        }
        let next = try Rig(stateDirectory: directory)
        #expect(next.session.holdsBacklog, "stored records must hold live data back")
        next.session.connected()
        try next.pass([3], from: 300)
        next.outbox.finish()
        #expect(next.sent.types == [.nodeBirth, .deviceBirth, .deviceData, .deviceData, .deviceData])
        #expect(next.outbox.figures.waiting == 0 && next.outbox.figures.replayed == 3)
    }

    @Test func recordsOfADeviceThatWentDownAreDroppedWithOneWarningThatCountsThem() throws {
        let rig = try Rig()
        rig.session.connected()
        rig.session.disconnected()
        try rig.pass([1, 2, 3])
        try rig.session.deviceDown("pm")
        rig.session.connected()
        rig.outbox.replaySoon()
        rig.outbox.finish()
        #expect(!rig.sent.types.contains(.deviceData), "DDATA for a device that is down: \(rig.sent.types)")
        #expect(rig.outbox.figures.waiting == 0 && rig.outbox.figures.dropped == 3)
        let warnings = rig.log.lines(atLeast: .warning).filter { $0.contains("is down") }
        #expect(warnings.count == 1 && warnings.first?.contains("3 stored DDATA records dropped") == true, "\(warnings)")
    }
}
