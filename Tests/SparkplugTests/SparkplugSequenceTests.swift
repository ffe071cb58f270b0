import PlantModel
import Testing

@testable import Sparkplug

@Suite struct SparkplugSequenceTests {
    @Test func seqCountsEveryMessageAndWrapsFrom255To0() throws {
        var (node, births) = try PlantFixture.bornNode()
        var seqs = births.compactMap(\.seq)
        for step in 0..<300 {
            let messages = try node.deviceData("meter-3", [PlantFixture.update("active_power", .double(Double(step)))], at: PlantFixture.start)
            seqs += messages.compactMap(\.seq)
            for message in messages { #expect(try UInt8(decoded(message).seq) == message.seq) }
        }
        #expect(seqs.count == 303)
        #expect(seqs[255] == 255 && seqs[256] == 0)
        #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $1 == $0 &+ 1 })
    }

    @Test func bdSeqAdvancesPerConnectionAndNbirthMatchesThatConnectionsWill() throws {
        var node = try PlantFixture.node(storedBirthDeathSequence: 254)
        var pairs: [(will: UInt64, birth: UInt64)] = []
        for connection in 0..<3 {
            let will = node.prepareConnection(at: PlantFixture.start + UInt64(connection))
            let nbirth = node.connected(at: PlantFixture.start)[0]
            node.disconnected()
            #expect(will.qos == 1 && !will.retain && will.topic == "spBv1.0/lithium-site/NDEATH/plantgate-1")
            let death = try decoded(will)
            #expect(!death.hasSeq, "NDEATH carries no seq")
            let deathBdSeq = try #require(death.metrics.first { $0.name == "bdSeq" })
            let birthBdSeq = try #require(decoded(nbirth).metrics.first { $0.name == "bdSeq" })
            pairs.append((deathBdSeq.longValue, birthBdSeq.longValue))
        }
        #expect(pairs.map(\.will) == [255, 0, 1])
        #expect(pairs.map(\.birth) == [255, 0, 1])
        #expect(node.birthDeathSequence == 1)
    }

    @Test func firstStartWithoutAStoredValueUsesZero() throws {
        var node = try PlantFixture.node()
        #expect(node.birthDeathSequence == nil)
        let will = node.prepareConnection(at: PlantFixture.start)
        #expect(try decoded(will).metrics.first?.longValue == 0)
        #expect(node.birthDeathSequence == 0)
    }

    @Test func rebirthRestartsSeqAtZeroAndKeepsBdSeq() throws {
        var (node, _) = try PlantFixture.bornNode()
        for step in 0..<5 {
            _ = try node.deviceData("lioh-1", [PlantFixture.update("net_water_balance", .int64(Int64(-step)))], at: PlantFixture.start)
        }
        let reaction = node.received(topic: "spBv1.0/lithium-site/NCMD/plantgate-1", payload: try rebirthCommand(), at: PlantFixture.start + 9)
        guard case .rebirth(let births) = reaction else {
            Issue.record("expected a rebirth, got \(reaction)")
            return
        }
        #expect(births.map(\.type) == [.nodeBirth, .deviceBirth, .deviceBirth])
        #expect(births.compactMap(\.seq) == [0, 1, 2])
        #expect(try decoded(births[0]).metrics.first { $0.name == "bdSeq" }?.longValue == 0)
        #expect(node.birthDeathSequence == 0)
        // the line's birth carries the newest value
        #expect(try decoded(births[2]).metrics.first { $0.name == "net_water_balance" }?.longValue == UInt64(bitPattern: -4))
    }

    @Test func rebirthByAliasIsHonoured() throws {
        var (node, births) = try PlantFixture.bornNode()
        let alias = try #require(decoded(births[0]).metrics.first { $0.name == "Node Control/Rebirth" }?.alias)
        let reaction = node.received(topic: "spBv1.0/lithium-site/NCMD/plantgate-1", payload: try rebirthCommand(byAlias: alias), at: 1)
        guard case .rebirth = reaction else {
            Issue.record("expected a rebirth, got \(reaction)")
            return
        }
    }
}
