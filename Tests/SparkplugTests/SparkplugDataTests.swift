import PlantModel
import Testing

@testable import Sparkplug

@Suite struct SparkplugDataTests {
    @Test func ddataCarriesAliasesOnlyAndOnlyChangedValues() throws {
        var (node, births) = try PlantFixture.bornNode()
        let declared = try decoded(births[1]).metrics
        let alias = { (name: String) in declared.first { $0.name == name }?.alias }

        let first = try node.deviceData("meter-3", [
            PlantFixture.update("active_power", .double(400.5), at: PlantFixture.start + 1000),
            PlantFixture.update("breaker_closed", .boolean(true), at: PlantFixture.start + 1000),
        ], at: PlantFixture.start + 1100)
        let ddata = try decoded(try #require(first.first))
        #expect(first.first?.topic == "spBv1.0/lithium-site/DDATA/plantgate-1/meter-3")
        #expect(ddata.metrics.allSatisfy { !$0.hasName && !$0.hasDatatype })
        #expect(ddata.metrics.map(\.alias) == [alias("active_power"), alias("breaker_closed")].compactMap { $0 })
        #expect(ddata.metrics[0].doubleValue == 400.5 && ddata.metrics[0].timestamp == PlantFixture.start + 1000)
        #expect(ddata.metrics[1].booleanValue == true)
        #expect(ddata.timestamp == PlantFixture.start + 1100)

        let second = try node.deviceData("meter-3", [
            PlantFixture.update("active_power", .double(400.5), at: PlantFixture.start + 2000),
            PlantFixture.update("breaker_closed", .boolean(false), at: PlantFixture.start + 2000),
        ], at: PlantFixture.start + 2100)
        #expect(try decoded(try #require(second.first)).metrics.map(\.alias) == [alias("breaker_closed")].compactMap { $0 })
        let unchanged = try node.deviceData("meter-3", [PlantFixture.update("active_power", .double(400.5))], at: PlantFixture.start)
        #expect(unchanged.isEmpty)
    }

    @Test func qualityTravelsInDdataOnlyWhenItChangesAndNaNIsNull() throws {
        var (node, _) = try PlantFixture.bornNode()
        _ = try node.deviceData("meter-3", [PlantFixture.update("active_power", .double(1))], at: PlantFixture.start)
        let same = try decoded(node.deviceData("meter-3", [PlantFixture.update("active_power", .double(2))], at: PlantFixture.start)[0])
        #expect(same.metrics[0].property("Quality") == nil)
        let bad = try decoded(node.deviceData("meter-3", [PlantFixture.update("active_power", .double(.nan), .bad)], at: PlantFixture.start)[0])
        #expect(bad.metrics[0].isNull && bad.metrics[0].property("Quality")?.intValue == 0)
    }

    @Test func ndataCarriesChangedGatewayFigures() throws {
        var (node, births) = try PlantFixture.bornNode()
        let depthAlias = try #require(decoded(births[0]).metrics.first { $0.name == "gateway/spool_depth" }?.alias)
        let messages = try node.nodeData([PlantFixture.update("gateway/spool_depth", .uint64(17))], at: PlantFixture.start)
        #expect(messages.map(\.topic) == ["spBv1.0/lithium-site/NDATA/plantgate-1"])
        let ndata = try decoded(messages[0])
        #expect(ndata.metrics.map(\.alias) == [depthAlias] && ndata.metrics[0].longValue == 17 && ndata.seq == 3)
    }

    @Test func historicalValuesAreFlaggedAndDoNotMoveTheLiveValue() throws {
        var (node, _) = try PlantFixture.bornNode()
        _ = try node.deviceData("meter-3", [PlantFixture.update("active_power", .double(500))], at: PlantFixture.start)
        let replay = try node.historicalDeviceData("meter-3", [
            PlantFixture.update("active_power", .double(310), at: PlantFixture.start - 60_000),
            PlantFixture.update("active_power", .double(320), at: PlantFixture.start - 30_000),
        ], at: PlantFixture.start)
        let payload = try decoded(try #require(replay.first))
        #expect(payload.metrics.count == 2 && payload.metrics.allSatisfy { $0.isHistorical && !$0.hasName })
        #expect(payload.metrics.map(\.timestamp) == [PlantFixture.start - 60_000, PlantFixture.start - 30_000])
        // the live value is still 500: repeating it publishes nothing
        #expect(try node.deviceData("meter-3", [PlantFixture.update("active_power", .double(500))], at: PlantFixture.start).isEmpty)
    }

    @Test func deviceDownPublishesDdeathAndComingBackPublishesDbirth() throws {
        var (node, _) = try PlantFixture.bornNode()
        let down = try node.deviceDown("meter-3", at: PlantFixture.start + 1)
        #expect(down.map(\.type) == [.deviceDeath] && down[0].topic == "spBv1.0/lithium-site/DDEATH/plantgate-1/meter-3")
        #expect(try decoded(down[0]).seq == 3 && decoded(down[0]).metrics.isEmpty)
        #expect(try node.deviceData("meter-3", [PlantFixture.update("active_power", .double(9))], at: 2).isEmpty)
        #expect(try node.deviceDown("meter-3", at: 3).isEmpty)
        let up = try node.deviceUp("meter-3", at: PlantFixture.start + 4)
        #expect(up.map(\.type) == [.deviceBirth])
        #expect(try decoded(up[0]).metrics.first { $0.name == "active_power" }?.doubleValue == 9)
    }

    @Test func nothingIsPublishedBeforeBirthButValuesReachTheBirth() throws {
        var node = try PlantFixture.node()
        #expect(try node.deviceData("lioh-1", [PlantFixture.update("electricity_intensity", .double(8.25))], at: 1).isEmpty)
        #expect(try node.deviceDown("meter-3", at: 1).isEmpty)
        _ = node.prepareConnection(at: 2)
        let births = node.connected(at: 3)
        #expect(births.map(\.topic).contains("spBv1.0/lithium-site/DBIRTH/plantgate-1/meter-3") == false)
        #expect(try decoded(births[1]).metrics.first?.doubleValue == 8.25)
    }

    @Test func wrongTypesAndUnknownNamesAreRefusedWithoutStoringAnything() throws {
        var (node, _) = try PlantFixture.bornNode()
        do {
            _ = try node.deviceData("meter-3", [
                PlantFixture.update("active_power", .double(1)),
                PlantFixture.update("energy_import", .double(2.5)),
            ], at: 1)
            Issue.record("a Double for a UInt64 metric must be refused")
        } catch {
            #expect(error.code == .valueTypeMismatch && error.message.contains("energy_import"))
        }
        #expect(try node.deviceData("meter-3", [PlantFixture.update("active_power", .double(1))], at: 1).count == 1)
        #expect(throws: SparkplugError.self) { try node.deviceData("meter-9", [], at: 1) }
        #expect(throws: SparkplugError.self) { try node.nodeData([PlantFixture.update("gateway/nope", .double(1))], at: 1) }
    }
}
