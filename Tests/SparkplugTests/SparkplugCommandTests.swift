import Testing

import SwiftProtobuf

@testable import Sparkplug

@Suite struct SparkplugCommandTests {
    @Test func anyDcmdIsRefusedNamingTheDeviceAndMetrics() throws {
        var (node, _) = try PlantFixture.bornNode()
        var metric = Org_Eclipse_Tahu_Protobuf_Payload.Metric()
        metric.name = "breaker_closed"
        metric.booleanValue = false
        var payload = Org_Eclipse_Tahu_Protobuf_Payload()
        payload.metrics = [metric]
        let reaction = node.received(
            topic: "spBv1.0/lithium-site/DCMD/plantgate-1/meter-3", payload: try payload.serializedBytes(), at: 1)
        guard case .refused(let refusal) = reaction else {
            Issue.record("expected a refusal, got \(reaction)")
            return
        }
        #expect(refusal.device == "meter-3" && refusal.metrics == ["breaker_closed"])
        #expect(refusal.description.contains("never writes"))
    }

    @Test(arguments: ["rebirth false", "other metric", "rebirth and a write", "garbage"])
    func ncmdOtherThanRebirthTrueIsRefusedAndPublishesNothing(_ label: String) throws {
        let payload: [UInt8] =
            switch label {
            case "rebirth false": try rebirthCommand(value: false)
            case "other metric": try writeCommand(name: "gateway/poll_rate")
            case "rebirth and a write": try writeCommand(name: "gateway/poll_rate", withRebirth: true)
            default: [0xFF, 0xFF, 0xFF]
            }
        var (node, _) = try PlantFixture.bornNode()
        let reaction = node.received(topic: "spBv1.0/lithium-site/NCMD/plantgate-1", payload: payload, at: 1)
        guard case .refused = reaction else {
            Issue.record("\(label): expected a refusal, got \(reaction)")
            return
        }
        // seq was not consumed: the next data message follows the births directly
        let next = try node.nodeData([PlantFixture.update("gateway/spool_depth", .uint64(1))], at: 2)
        #expect(next.first?.seq == 3)
    }

    @Test func commandsForAnotherEdgeNodeAreIgnored() throws {
        var (node, _) = try PlantFixture.bornNode()
        let reaction = node.received(topic: "spBv1.0/lithium-site/NCMD/plantgate-2", payload: try rebirthCommand(), at: 1)
        guard case .ignored = reaction else {
            Issue.record("expected ignored, got \(reaction)")
            return
        }
    }
}

func writeCommand(name: String, withRebirth: Bool = false) throws -> [UInt8] {
    var metric = Org_Eclipse_Tahu_Protobuf_Payload.Metric()
    metric.name = name
    metric.doubleValue = 99
    var payload = try withRebirth ? Org_Eclipse_Tahu_Protobuf_Payload(serializedBytes: rebirthCommand()) : Org_Eclipse_Tahu_Protobuf_Payload()
    payload.metrics.append(metric)
    return try payload.serializedBytes()
}
