import Foundation
import Gateway
import Logging
import Modbus
import PlantModel
import Testing
import TestSupport

/// A device is down only after `soft_errors` failed cycles in a row, and up again
/// only once it really answers; a restarted server is reconnected to without restarting anything.
@Suite("Device availability", .serialized)
struct AvailabilityTests {
    @Test func oneLostReplyIsToleratedSoftErrorsInARowAreNot() async throws {
        let meter = OracleMeter()
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let rig = try PollingRig(yaml: PollingConfigs.oneMeter(port: server.port, interval: "50ms", tags: PollingConfigs.oneRegister,
                                                               bus: "response_timeout: 100ms, retries: 0, soft_errors: 3"))
        rig.start()
        defer { rig.stop() }
        #expect(await eventually { rig.device("m")?.up == true })
        let silence = OracleMeter.Fault(name: "silence") { _ in .silence }

        for lost in [1, 2] {
            let goodBefore = rig.samples("m/low").count { $0.quality == .good }
            meter.inject(silence, count: lost)
            #expect(await eventually { meter.faultsRemaining == 0 })
            #expect(await eventually { rig.samples("m/low").count { $0.quality == .good } > goodBefore + 2 })
            #expect(rig.device("m")?.up == true)
            #expect(!rig.log.lines(atLeast: .error).contains { $0.contains("device down") }, "\(lost) lost replies marked the device down")
        }
        #expect(rig.device("m")?.errors.byName["timeout"] == 3)
        #expect(rig.samples("m/low").count { $0.quality == .bad && $0.reason == .timeout } == 3)

        meter.inject(silence, count: 3)
        #expect(await eventually { rig.log.lines(atLeast: .error).contains { $0.contains("device down after 3 failed cycles") } })
        #expect(await eventually { rig.device("m")?.up == true })
        #expect(rig.log.lines(atLeast: .info).contains { $0.contains("device answers again") })
        #expect(rig.log.lines(atLeast: .error).count { $0.contains("device down") } == 1)
    }

    @Test func aRestartedServerIsReconnectedAndTheDeviceComesBackOnARealReply() async throws {
        let meter = OracleMeter()
        var server: ModbusTCPServer? = try ModbusTCPServer(port: 0, handler: meter)
        server?.start()
        let port = try #require(server?.port)
        let rig = try PollingRig(yaml: PollingConfigs.oneMeter(port: port, interval: "100ms", tags: PollingConfigs.oneRegister,
                                                               bus: "response_timeout: 200ms, retries: 0, soft_errors: 3"))
        rig.start()
        defer { rig.stop() }
        #expect(await eventually { rig.device("m")?.up == true })
        let before = try #require(rig.poller("a")?.monitor.snapshot)
        #expect(before.reconnects == 1)

        // Watch every state change: the first failed cycle must leave the device up. The watcher has a
        // thread of its own: a task could wait longer than the two cycles between the first failure and
        // down while the rest of the suite holds the cooperative threads.
        let upWhileFailing = FirstHeldWatch(timeoutSeconds: 6) { rig.device("m").map { $0.up && $0.consecutiveFailures >= 1 } ?? false }
        let down = FirstHeldWatch(timeoutSeconds: 6) { rig.device("m")?.up == false }
        server?.stop()
        server = nil
        #expect(await eventually(timeout: .seconds(7)) { down.firstHeld != nil })
        #expect(upWhileFailing.firstHeld != nil, "the device went down on its first failed cycle")
        #expect((rig.device("m")?.consecutiveFailures ?? 0) >= 3)

        // The device is back on the network but not answering yet: connected is not up.
        let restartMark = monotonicNow()
        let restarted = OracleMeter()
        restarted.setSilent(true)
        var replacement: ModbusTCPServer?
        #expect(await eventually(timeout: .seconds(5)) {
            replacement = try? ModbusTCPServer(port: port, handler: restarted)
            return replacement != nil
        })
        let newServer = try #require(replacement)
        newServer.start()
        defer { newServer.stop() }
        #expect(await eventually(timeout: .seconds(10)) { rig.poller("a")?.monitor.snapshot.reconnects == 2 })
        #expect(await eventually(timeout: .seconds(5)) { restarted.requestCount >= 1 })
        #expect(rig.device("m")?.up == false)

        let answering = monotonicNow()
        restarted.setSilent(false)
        #expect(await eventually(timeout: .seconds(5)) { rig.device("m")?.up == true })
        // The drain thread collects samples a moment after the poller enqueued them.
        #expect(await eventually { rig.samples("m/low").contains { $0.quality == .good && $0.time.monoNanos > restartMark } })
        let goodAfterRestart = rig.samples("m/low").filter { $0.quality == .good && $0.time.monoNanos > restartMark }
        #expect(goodAfterRestart.allSatisfy { $0.time.monoNanos >= answering - 20_000_000 }, "a good sample before the device answered")
        // Alone on its bus the down device kept its cadence: back within one poll (plus the silent request in flight).
        let back = (goodAfterRestart.first?.time.monoNanos ?? .max) - answering
        #expect(back <= 350_000_000, "back \(Double(back) / 1e6) ms after the device answered again")
        let reconnected = try #require(rig.poller("a")?.monitor.snapshot)
        #expect(reconnected.reconnects == 2 && reconnected.connected)
        #expect(rig.log.lines(atLeast: .error).count { $0.contains("device down after 3 failed cycles") } == 1)
    }

    @Test func aDeadDeviceOnASharedBusIsBackedOffWhileItsNeighbourKeepsItsCadence() async throws {
        let meter = OracleMeter(unit: 1)
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let yaml = PollingConfigs.sharedBus(port: server.port, interval: "100ms", bus: "response_timeout: 100ms, retries: 0, soft_errors: 2",
                                            devices: [("live", 1), ("dead", 2)])
        let rig = try PollingRig(yaml: yaml)
        rig.start()
        defer { rig.stop() }
        #expect(await eventually { rig.device("live")?.up == true && (rig.device("dead")?.consecutiveFailures ?? 0) >= 2 })
        let live = try #require(rig.device("live")), dead = try #require(rig.device("dead"))
        #expect(await eventually(timeout: .seconds(10)) { (rig.device("live")?.cycles ?? 0) >= live.cycles + 40 })
        let liveAfter = try #require(rig.device("live")), deadAfter = try #require(rig.device("dead"))
        let deadRequests = deadAfter.requests - dead.requests, liveCycles = liveAfter.cycles - live.cycles
        print("shared bus: dead device polled \(deadRequests) times in \(liveCycles) cycles of its neighbour")
        // Every 8th cycle once backed off; a little more while the back-off grows.
        #expect(deadRequests <= liveCycles / 4, "dead device polled \(deadRequests) times in \(liveCycles) cycles")
        #expect(!deadAfter.up)
        #expect(liveAfter.errors.total == 0)
    }
}
