import PlantModel
import Testing

import SwiftProtobuf

@testable import Sparkplug

@Suite struct SparkplugNodeBirthTests {
    @Test func nbirthCarriesBdSeqRebirthFlagAndNodeMetricsThenOneDbirthPerDevice() throws {
        var node = try PlantFixture.node(storedBirthDeathSequence: 41)
        _ = try node.nodeData([PlantFixture.update("gateway/poll_rate", .double(10))], at: PlantFixture.start)
        let will = node.prepareConnection(at: PlantFixture.start)
        let births = node.connected(at: PlantFixture.start + 5)

        #expect(births.map(\.type) == [.nodeBirth, .deviceBirth, .deviceBirth])
        #expect(births.map(\.topic) == [
            "spBv1.0/lithium-site/NBIRTH/plantgate-1",
            "spBv1.0/lithium-site/DBIRTH/plantgate-1/meter-3",
            "spBv1.0/lithium-site/DBIRTH/plantgate-1/lioh-1",
        ])
        #expect(births.allSatisfy { $0.qos == 0 && !$0.retain })
        let nbirth = try decoded(births[0])
        #expect(nbirth.seq == 0)
        #expect(nbirth.timestamp == PlantFixture.start + 5)
        let bdSeq = try #require(nbirth.metrics.first { $0.name == "bdSeq" })
        #expect(bdSeq.datatype == 4 && bdSeq.longValue == 42)
        let rebirth = try #require(nbirth.metrics.first { $0.name == "Node Control/Rebirth" })
        #expect(rebirth.datatype == 11 && rebirth.booleanValue == false)
        let pollRate = try #require(nbirth.metrics.first { $0.name == "gateway/poll_rate" })
        #expect(pollRate.doubleValue == 10 && pollRate.property("engUnit")?.stringValue == "1/s")
        #expect(try decoded(will).metrics.first?.longValue == 42)
        #expect(births.compactMap(\.seq) == [0, 1, 2])
    }

    @Test func dbirthDeclaresEveryMetricWithNameAliasDatatypeUnitQualityAndCurrentValue() throws {
        var node = try PlantFixture.node()
        _ = try node.deviceData("meter-3", [
            PlantFixture.update("active_power", .double(412.7), at: PlantFixture.start - 250),
            PlantFixture.update("energy_import", .uint64(1_843_200), .uncertain),
        ], at: PlantFixture.start)
        _ = node.prepareConnection(at: PlantFixture.start)
        let dbirth = try decoded(node.connected(at: PlantFixture.start)[1])

        #expect(dbirth.metrics.map(\.name) == ["active_power", "energy_import", "breaker_closed"])
        #expect(dbirth.metrics.map(\.datatype) == [10, 8, 11])
        #expect(dbirth.metrics.allSatisfy { $0.hasAlias })
        let power = dbirth.metrics[0]
        #expect(power.doubleValue == 412.7 && power.timestamp == PlantFixture.start - 250)
        #expect(power.property("engUnit")?.stringValue == "kW")
        #expect(power.property("Quality")?.intValue == 192 && power.property("Quality")?.type == 3)
        #expect(dbirth.metrics[1].longValue == 1_843_200 && dbirth.metrics[1].property("Quality")?.intValue == 500)
        // never read yet: declared with no value and bad quality
        #expect(dbirth.metrics[2].isNull && dbirth.metrics[2].property("Quality")?.intValue == 0)
        #expect(dbirth.metrics[2].property("engUnit") == nil)
    }

    @Test func aliasesAreUniqueAcrossTheNodeAndStableAcrossRebirths() throws {
        var (node, births) = try PlantFixture.bornNode()
        let aliases = try births.flatMap { try decoded($0).metrics.filter(\.hasAlias).map(\.alias) }
        #expect(Set(aliases).count == aliases.count)
        #expect(aliases.count == 1 + PlantFixture.nodeMetrics.count + PlantFixture.meter.metrics.count + PlantFixture.line.metrics.count)

        let command = try rebirthCommand()
        guard case .rebirth(let again) = node.received(topic: "spBv1.0/lithium-site/NCMD/plantgate-1", payload: command, at: 7) else {
            Issue.record("rebirth expected")
            return
        }
        let againAliases = try again.flatMap { try decoded($0).metrics.filter(\.hasAlias).map(\.alias) }
        #expect(againAliases == aliases)
    }

    @Test func invalidIdentifiersAndDuplicatesAreRejectedWithTheFix() throws {
        #expect(throws: SparkplugError.self) { try SparkplugNodeConfiguration(groupID: "site/a", edgeNodeID: "n") }
        #expect(throws: SparkplugError.self) { try SparkplugNodeConfiguration(groupID: "site", edgeNodeID: "") }
        let configuration = try PlantFixture.configuration()
        #expect(throws: SparkplugError.self) {
            try SparkplugNode(configuration: configuration, nodeMetrics: [], devices: [PlantFixture.meter, PlantFixture.meter])
        }
        #expect(throws: SparkplugError.self) {
            try SparkplugNode(configuration: configuration, nodeMetrics: [SparkplugMetricDefinition(name: "bdSeq", dataType: .int64)], devices: [])
        }
        do {
            _ = try SparkplugNode(configuration: configuration, nodeMetrics: [], devices: [SparkplugDevice(id: "meter#1", metrics: [])])
            Issue.record("a '#' in a device id must be refused")
        } catch {
            #expect(error.code == .invalidIdentifier)
            #expect(error.message.contains("meter#1") && error.message.contains("'#'"))
        }
    }
}

/// An NCMD payload writing `Node Control/Rebirth` = true by name, as a host sends it.
func rebirthCommand(value: Bool = true, byAlias alias: UInt64? = nil) throws -> [UInt8] {
    var metric = Org_Eclipse_Tahu_Protobuf_Payload.Metric()
    if let alias { metric.alias = alias } else { metric.name = "Node Control/Rebirth" }
    metric.datatype = 11
    metric.booleanValue = value
    var payload = Org_Eclipse_Tahu_Protobuf_Payload()
    payload.timestamp = PlantFixture.start
    payload.metrics = [metric]
    return try payload.serializedBytes()
}
