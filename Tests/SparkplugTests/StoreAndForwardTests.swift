import PlantModel
import SwiftProtobuf
import Testing

@testable import Sparkplug

/// Store and forward in the pure node: what is kept while the host cannot get it, and how it comes back.
@Suite struct StoreAndForwardTests {
    static func power(_ metric: String, _ value: SparkplugValue?, _ quality: Quality, _ time: UInt64) -> SparkplugValueUpdate {
        PlantFixture.update(metric, value, quality, at: time)
    }

    @Test func changesWhileDisconnectedAreKeptAndTheBirthCarriesTheLatest() throws {
        var (node, _) = try PlantFixture.bornNode()
        node.disconnected()
        let first = try node.deviceDataOrKeep("meter-3", [Self.power("active_power", .double(10), .good, 1)], at: 1)
        let same = try node.deviceDataOrKeep("meter-3", [Self.power("active_power", .double(10), .good, 2)], at: 2)
        let second = try node.deviceDataOrKeep("meter-3", [Self.power("active_power", .double(11), .good, 3)], at: 3)
        #expect(first.messages.isEmpty && second.messages.isEmpty)
        #expect(first.kept.map(\.timestampMs) == [1])
        #expect(same.kept.isEmpty, "an unchanged value is not a change to replay")
        #expect(second.kept.map(\.timestampMs) == [3])
        #expect(node.holdsBacklog)

        _ = node.prepareConnection(at: 4)
        let births = node.connected(at: 5)
        let meterBirth = try #require(births.first { $0.topic.hasSuffix("/meter-3") })
        #expect(try decoded(meterBirth).metrics.first { $0.name == "active_power" }?.doubleValue == 11)
    }

    @Test func whileTheBacklogIsHeldLiveValuesQueueBehindItThenFlowAgain() throws {
        var (node, _) = try PlantFixture.bornNode()
        node.holdBacklog()
        let held = try node.deviceDataOrKeep("meter-3", [Self.power("active_power", .double(5), .good, 1)], at: 1)
        #expect(held.messages.isEmpty && held.kept.count == 1)
        node.backlogReplayed()
        let live = try node.deviceDataOrKeep("meter-3", [Self.power("active_power", .double(6), .good, 2)], at: 2)
        #expect(live.kept.isEmpty)
        #expect(live.messages.map(\.type) == [.deviceData])
    }

    @Test func replayedValuesFollowTheBirthsFlaggedHistoricalWithSeqInPublishOrder() throws {
        var (node, _) = try PlantFixture.bornNode()
        node.disconnected()
        let kept = try node.deviceDataOrKeep("meter-3", [Self.power("active_power", .double(7), .good, 100)], at: 100).kept
        let record = BacklogRecord.encode(kept)
        _ = node.prepareConnection(at: 200)
        let births = node.connected(at: 201)
        let replayed = try node.historicalDeviceData("meter-3", try BacklogRecord.decode(record), at: 202)
        let seqs = (births + replayed).compactMap(\.seq)
        #expect(seqs == Array(0..<UInt8(births.count + 1)))
        let message = try #require(replayed.first)
        let metric = try #require(try decoded(message).metrics.first)
        #expect(metric.isHistorical && metric.doubleValue == 7 && metric.timestamp == 100 && !metric.hasName)
    }

    @Test func nothingIsKeptBeforeTheFirstValuesNorForADeviceThatIsDown() throws {
        var waiting = try SparkplugNode(
            configuration: PlantFixture.configuration(), nodeMetrics: PlantFixture.nodeMetrics,
            devices: [PlantFixture.meter, PlantFixture.line], waitsForValues: true)
        _ = waiting.prepareConnection(at: 1)
        _ = waiting.connected(at: 2)
        #expect(try waiting.deviceDataOrKeep("meter-3", [Self.power("active_power", .double(1), .good, 3)], at: 3).kept.isEmpty)

        var (node, _) = try PlantFixture.bornNode()
        _ = try node.deviceDown("meter-3", at: 4)
        node.disconnected()
        #expect(try node.deviceDataOrKeep("meter-3", [Self.power("active_power", .double(1), .good, 5)], at: 5).kept.isEmpty)
    }

    @Test func aRecordRoundTripsEveryTypeNullAndQuality() throws {
        let updates = [
            Self.power("active_power", .double(412.75), .good, 1),
            Self.power("active_power", nil, .bad, 2),
            Self.power("energy_import", .uint64(UInt64.max), .uncertain, 3),
            Self.power("net_water_balance", .int64(-5), .good, 4),
            Self.power("breaker_closed", .boolean(true), .good, 5),
            Self.power("gateway/version", .string("1.2"), .good, 6),
        ]
        let record = BacklogRecord.encode(updates)
        #expect(try BacklogRecord.decode(record) == updates)
        // The stored layout itself, which a record written by an earlier run must keep: names and
        // datatypes, no alias, an Int32 Quality property with the specification's codes.
        let stored = try Org_Eclipse_Tahu_Protobuf_Payload(serializedBytes: record)
        #expect(!stored.hasSeq && stored.metrics.allSatisfy { $0.hasName && !$0.hasAlias })
        #expect(stored.metrics.map(\.datatype) == [10, 0, 8, 4, 11, 12])
        #expect(stored.metrics[1].isNull)
        #expect(stored.metrics.map { $0.property("Quality")?.intValue } == [192, 0, 500, 192, 192, 192])
        #expect(stored.metrics.allSatisfy { $0.property("Quality")?.type == 3 })
        #expect(throws: SparkplugError.self) { try BacklogRecord.decode([0xFF, 0xFF, 0xFF]) }
    }
}
