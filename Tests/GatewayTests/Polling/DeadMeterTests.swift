import Gateway
import Modbus
import PlantModel
import Synchronization
import Testing
import TestSupport

/// With the default bus settings (response_timeout 500ms, retries 1, soft_errors 2) and a 1 s interval,
/// a meter that stops answering is down within 3 s of its first unanswered request, a lost reply (even
/// one failed cycle) does not flap it, and a neighbour on its bus keeps its cadence.
@Suite("Dead meter detection with default settings", .serialized)
struct DeadMeterTests {
    static let expectedDetectionSeconds = 2.0  // (retries+1)·response_timeout + (soft_errors−1)·max(interval, (retries+1)·response_timeout)

    static func yaml(port: Int, tags: Int = 3) -> String {
        // Three tags far apart: three requests per cycle, so a cycle that waited out every one would take 3 s.
        let registers = (0..<tags).map { #"r\#($0): {register: "holding:\#(100 + $0 * 200)", type: uint16}"# }
        return PollingConfigs.oneMeter(port: port, interval: "1s", tags: registers)
    }

    @Test func aSilentMeterIsDownWithinThreeSecondsOfItsFirstUnansweredRequest() async throws {
        let meter = OracleMeter()
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let rig = try PollingRig(yaml: Self.yaml(port: server.port))
        rig.start()
        defer { rig.stop() }
        #expect(await eventually { rig.device("m")?.up == true })

        let silenced = monotonicNow()
        let down = FirstHeldWatch(timeoutSeconds: 10) { rig.device("m")?.up == false }
        meter.setSilent(true)
        #expect(await eventually(timeout: .seconds(11)) { down.firstHeld != nil })
        let downAt = try #require(down.firstHeld)
        let firstUnanswered = try #require(meter.arrivals(since: silenced).first)
        let detection = Double(downAt - firstUnanswered) / 1e9
        print("dead meter (defaults, 1 s interval, 3 requests per cycle): down \(detection) s after its first unanswered request")
        #expect(detection >= Self.expectedDetectionSeconds - 0.1, "down before soft_errors cycles had failed: \(detection) s")
        #expect(detection <= 3.0, "down \(detection) s after the first unanswered request")

        // Values went bad on the first failed cycle: every tag has a bad sample stamped before the device was down.
        // That cycle ends about 1 s after its first unanswered request (two 500 ms timeouts); the next one could
        // not stamp anything before 2 s. The bound sits between, with room for a slow VM (1.33 s seen in CI).
        for tag in ["m/r0", "m/r1", "m/r2"] {
            let firstBad = try #require(rig.samples(tag).first { $0.quality == .bad && $0.time.monoNanos >= firstUnanswered }, "\(tag)")
            #expect(firstBad.reason == .timeout)
            #expect(firstBad.time.monoNanos - firstUnanswered < 1_600_000_000, "\(tag) went bad \(Double(firstBad.time.monoNanos - firstUnanswered) / 1e9) s late")
        }
        let device = try #require(rig.device("m"))
        #expect(device.lastError?.contains("no reply in time") == true)
        #expect(device.recentErrors.byName(nowMonoNanos: monotonicNow())["timeout"] ?? 0 >= 2)

        meter.setSilent(false)
        #expect(await eventually(timeout: .seconds(5)) { rig.device("m")?.up == true })
    }

    @Test func oneFailedCycleDoesNotFlapIt() async throws {
        let meter = OracleMeter()
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let rig = try PollingRig(yaml: Self.yaml(port: server.port, tags: 1))
        rig.start()
        defer { rig.stop() }
        #expect(await eventually { rig.device("m")?.up == true })
        let states = Mutex<[Bool]>([])
        let silence = OracleMeter.Fault(name: "silence") { _ in .silence }
        let before = try #require(rig.device("m"))
        // The request and its retry both lost: one whole failed cycle.
        meter.inject(silence, count: 2)
        #expect(await eventually(timeout: .seconds(8), pollInterval: .milliseconds(5)) {
            guard let device = rig.device("m") else { return false }
            states.withLock { $0.append(device.up) }
            return meter.faultsRemaining == 0 && device.cycles >= before.cycles + 3 && device.consecutiveFailures == 0
        })
        #expect(states.withLock { $0.allSatisfy { $0 } }, "the device went down on one failed cycle")
        #expect(rig.device("m")?.errors.byName["timeout"] == 2)
    }

    @Test func aNeighbourOnTheDeadMetersBusKeepsItsCadence() async throws {
        let meter = OracleMeter(unit: 1)
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        // Default bus settings; the dead meter comes first, so its timeouts always delay its neighbour.
        let yaml = PollingConfigs.sharedBus(port: server.port, interval: "1s", devices: [("dead", 2), ("live", 1)])
        let rig = try PollingRig(yaml: yaml)
        rig.start()
        defer { rig.stop() }
        #expect(await eventually(timeout: .seconds(10)) { rig.device("live")?.up == true && (rig.device("dead")?.consecutiveFailures ?? 0) >= 2 })
        let start = try #require(rig.device("live"))
        #expect(await eventually(timeout: .seconds(30)) {
            guard let live = rig.device("live") else { return false }
            return live.cycles + live.overruns >= start.cycles + start.overruns + 15
        })
        let end = try #require(rig.device("live"))
        let cycles = end.cycles - start.cycles, deadlines = cycles + end.overruns - start.overruns
        let cadence = Double(cycles) / Double(deadlines)
        print("neighbour of a dead meter (defaults, 1 s): \(cycles) cycles in \(deadlines) deadlines (\(Int(cadence * 100)) %)")
        #expect(cadence >= 0.9, "\(cycles) of \(deadlines) deadlines polled")
        #expect(end.errors.total == 0)
        #expect(rig.device("dead")?.up == false)
    }
}
