import PlantModel
import Testing

@testable import Sparkplug

/// Births that wait for the first values carry them, not nulls.
@Suite struct SparkplugFirstValuesTests {
    static func waitingNode(primaryHost: String? = nil) throws -> SparkplugNode {
        try SparkplugNode(
            configuration: PlantFixture.configuration(primaryHost: primaryHost), nodeMetrics: PlantFixture.nodeMetrics,
            devices: [PlantFixture.meter, PlantFixture.line], waitsForValues: true)
    }

    @Test func birthsWaitForTheFirstValuesAndThenCarryThem() throws {
        var node = try Self.waitingNode()
        _ = node.prepareConnection(at: PlantFixture.start)
        let early = node.connected(at: PlantFixture.start)
        #expect(early.isEmpty, "no births before the first values")
        let meterData = try node.deviceData("meter-3", [PlantFixture.update("active_power", .double(412.7))], at: PlantFixture.start)
        let lineData = try node.deviceData("lioh-1", [PlantFixture.update("electricity_intensity", .double(3512.5))], at: PlantFixture.start)
        #expect(meterData.isEmpty && lineData.isEmpty, "no data before the births")
        #expect(!node.isBorn)

        let births = node.valuesArrived(at: PlantFixture.start + 300)
        #expect(births.map(\.type) == [.nodeBirth, .deviceBirth, .deviceBirth])
        #expect(try decoded(births[1]).metrics.first { $0.name == "active_power" }?.doubleValue == 412.7)
        #expect(try decoded(births[2]).metrics.first { $0.name == "electricity_intensity" }?.doubleValue == 3512.5)
        #expect(node.isBorn)
        let again = node.valuesArrived(at: PlantFixture.start + 400)
        #expect(again.isEmpty, "the first values arrive once")
    }

    @Test func valuesBeforeTheConnectionLetTheConnectionBirthAtOnce() throws {
        var node = try Self.waitingNode()
        let unconnected = node.valuesArrived(at: PlantFixture.start)
        #expect(unconnected.isEmpty, "not connected: nothing to publish yet")
        _ = node.prepareConnection(at: PlantFixture.start)
        let births = node.connected(at: PlantFixture.start + 10)
        #expect(births.map(\.type) == [.nodeBirth, .deviceBirth, .deviceBirth])
    }

    @Test func aPrimaryHostStillGatesBirthsAfterTheFirstValues() throws {
        var node = try Self.waitingNode(primaryHost: "scada-1")
        _ = node.prepareConnection(at: PlantFixture.start)
        _ = node.connected(at: PlantFixture.start)
        let online = Array(#"{"online": true, "timestamp": 1}"#.utf8)
        let reaction = node.received(topic: "spBv1.0/STATE/scada-1", payload: online, at: PlantFixture.start)
        #expect(reaction == .hostOnline([]), "host online, values not in: births still wait")
        let births = node.valuesArrived(at: PlantFixture.start + 1)
        #expect(births.map(\.type) == [.nodeBirth, .deviceBirth, .deviceBirth])
    }

    @Test func aRebirthRequestBeforeTheFirstValuesIsIgnored() throws {
        var node = try Self.waitingNode()
        _ = node.prepareConnection(at: PlantFixture.start)
        _ = node.connected(at: PlantFixture.start)
        let reaction = node.received(topic: "spBv1.0/lithium-site/NCMD/plantgate-1", payload: try rebirthCommand(), at: PlantFixture.start)
        guard case .ignored = reaction else {
            Issue.record("a rebirth before the first values must wait for them")
            return
        }
    }
}
