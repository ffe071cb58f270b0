import Testing

@testable import Sparkplug

@Suite struct PrimaryHostTests {
    static let stateTopic = "spBv1.0/STATE/scada-1"

    static func state(_ online: Bool, _ timestamp: UInt64) -> [UInt8] {
        Array(#"{"online":\#(online),"timestamp":\#(timestamp)}"#.utf8)
    }

    @Test func birthsWaitForTheHostAndFollowItsOnlineState() throws {
        var node = try PlantFixture.node(primaryHost: "scada-1")
        _ = node.prepareConnection(at: 1)
        #expect(node.subscriptions.contains(Self.stateTopic))
        #expect(node.connected(at: 2).isEmpty)
        #expect(!node.mayPublishBirths)
        #expect(try node.deviceData("meter-3", [PlantFixture.update("active_power", .double(1))], at: 3).isEmpty)

        let reaction = node.received(topic: Self.stateTopic, payload: Self.state(true, 1000), at: 4)
        guard case .hostOnline(let births) = reaction else {
            Issue.record("expected births, got \(reaction)")
            return
        }
        #expect(births.map(\.type) == [.nodeBirth, .deviceBirth, .deviceBirth])
        #expect(node.mayPublishBirths && node.isBorn)
    }

    @Test func hostGoingOfflineIsAnOutageWithTheMatchingDeath() throws {
        var node = try PlantFixture.node(primaryHost: "scada-1", storedBirthDeathSequence: 6)
        _ = node.prepareConnection(at: 1)
        _ = node.connected(at: 2)
        _ = node.received(topic: Self.stateTopic, payload: Self.state(true, 1000), at: 3)
        let reaction = node.received(topic: Self.stateTopic, payload: Self.state(false, 2000), at: 4)
        guard case .hostOffline(let death) = reaction else {
            Issue.record("expected an outage, got \(reaction)")
            return
        }
        #expect(try death.type == .nodeDeath && decoded(death).metrics.first?.longValue == 7)
        #expect(!node.isBorn && !node.mayPublishBirths)
        #expect(try node.deviceData("meter-3", [PlantFixture.update("active_power", .double(1))], at: 5).isEmpty)
    }

    @Test func olderStateIsIgnoredAndDoesNotFlipTheHost() throws {
        var node = try PlantFixture.node(primaryHost: "scada-1")
        _ = node.prepareConnection(at: 1)
        _ = node.connected(at: 2)
        _ = node.received(topic: Self.stateTopic, payload: Self.state(true, 5000), at: 3)
        let stale = node.received(topic: Self.stateTopic, payload: Self.state(false, 4999), at: 4)
        guard case .ignored(let reason) = stale else {
            Issue.record("a stale offline must be ignored, got \(stale)")
            return
        }
        #expect(reason.contains("older"))
        #expect(node.isBorn && node.mayPublishBirths)
    }

    @Test func reconnectWaitsForTheRetainedStateAgainAndAcceptsTheSameTimestamp() throws {
        var node = try PlantFixture.node(primaryHost: "scada-1")
        _ = node.prepareConnection(at: 1)
        _ = node.connected(at: 2)
        _ = node.received(topic: Self.stateTopic, payload: Self.state(true, 5000), at: 3)
        node.disconnected()
        _ = node.prepareConnection(at: 4)
        #expect(node.connected(at: 5).isEmpty)
        guard case .hostOnline(let births) = node.received(topic: Self.stateTopic, payload: Self.state(true, 5000), at: 6) else {
            Issue.record("the retained STATE must release the births")
            return
        }
        #expect(births.first?.seq == 0)
    }

    @Test(arguments: ["online", #"{"online":"yes","timestamp":1}"#, #"{"timestamp":1}"#])
    func malformedStateIsIgnored(_ text: String) throws {
        var host = SparkplugPrimaryHost(hostID: "scada-1")
        guard case .ignored = host.apply(payload: Array(text.utf8)) else {
            Issue.record("'\(text)' must be ignored")
            return
        }
        #expect(!host.isOnline && host.lastTimestampMs == nil)
    }

    @Test func stateOfAnotherHostIsIgnored() throws {
        var node = try PlantFixture.node(primaryHost: "scada-1")
        _ = node.prepareConnection(at: 1)
        _ = node.connected(at: 2)
        guard case .ignored = node.received(topic: "spBv1.0/STATE/scada-2", payload: Self.state(true, 1), at: 3) else {
            Issue.record("another host's STATE must be ignored")
            return
        }
        #expect(!node.isBorn)
    }
}
