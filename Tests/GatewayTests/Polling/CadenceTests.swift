import Gateway
import Modbus
import PlantModel
import Testing
import TestSupport

/// The poll schedule keeps absolute deadlines and never piles work up.
@Suite("Bus poller cadence", .serialized)
struct CadenceTests {
    @Test func threeHundredCyclesAtTwentyMillisecondsStayOnTheirDeadlines() async throws {
        let meter = OracleMeter()
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let rig = try PollingRig(yaml: PollingConfigs.oneMeter(port: server.port, interval: "20ms", tags: PollingConfigs.oneRegister))
        rig.start()
        defer { rig.stop() }

        #expect(await eventually(timeout: .seconds(20)) { rig.samples("m/low").count >= 300 })
        let statistics = try #require(rig.device("m"))
        let now = monotonicNow()
        let samples = rig.samples("m/low")
        let first = try #require(samples.first).time.monoNanos
        let interval: Int64 = 20_000_000

        // After N intervals exactly N+1 cycles have started or been skipped as overruns (±1 for the one in flight).
        let deadlinesPassed = Int((now - first) / interval) + 1
        #expect(abs(statistics.cycles + statistics.overruns - deadlinesPassed) <= 1,
                "cycles \(statistics.cycles) + overruns \(statistics.overruns) vs \(deadlinesPassed) deadlines")
        // No drift: every sample sits on its grid point, the 300th as closely as the first.
        let offsets = samples.map { ($0.time.monoNanos - first) % interval }.map { min($0, interval - $0) }
        #expect(offsets.prefix(300).allSatisfy { $0 < interval / 2 })
        let lastOffset = try #require(offsets.prefix(300).last)
        #expect(samples.allSatisfy { $0.quality == .good && $0.value == 1010 })

        let p50 = try #require(statistics.jitter.quantile(0.5)), p99 = try #require(statistics.jitter.quantile(0.99))
        print("cadence 20 ms × \(samples.count): start jitter p50 \(Double(p50) / 1e6) ms, p99 \(Double(p99) / 1e6) ms, max \(Double(statistics.jitter.maxNanos) / 1e6) ms; offset of sample 300 \(Double(lastOffset) / 1e6) ms; overruns \(statistics.overruns)")
        #expect(p99 < interval, "start jitter p99 \(p99) ns is a whole interval")
    }

    @Test func aDeviceSlowerThanItsIntervalCountsOverrunsWithoutPilingUp() async throws {
        let meter = OracleMeter()
        meter.setDelay(0.12)
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let rig = try PollingRig(yaml: PollingConfigs.oneMeter(port: server.port, interval: "50ms", tags: PollingConfigs.oneRegister,
                                                               bus: "response_timeout: 500ms, retries: 0"))
        rig.start()
        defer { rig.stop() }

        #expect(await eventually(timeout: .seconds(15)) { rig.samples("m/low").count >= 16 })
        let statistics = try #require(rig.device("m"))
        let now = monotonicNow()
        let arrivals = meter.arrivals(since: 0)
        let first = try #require(arrivals.first), last = try #require(arrivals.last)
        let elapsed = Double(last - first) / 1e9

        #expect(statistics.overruns > 0)
        #expect(statistics.errors.total == 0, "a slow reply within the timeout is not an error: \(statistics.errors.byName)")
        // One request per reply time at most: nothing queues up behind a slow device.
        #expect(Double(arrivals.count) <= elapsed / 0.12 + 1, "\(arrivals.count) requests in \(elapsed) s")
        #expect(Double(arrivals.count) >= elapsed / 0.2 - 1, "\(arrivals.count) requests in \(elapsed) s")
        let deadlinesPassed = Int(Double(now - first) / 50e6) + 1
        #expect(abs(statistics.cycles + statistics.overruns - deadlinesPassed) <= 3,
                "cycles \(statistics.cycles) + overruns \(statistics.overruns) vs \(deadlinesPassed) deadlines")
        #expect(rig.samples("m/low").allSatisfy { $0.quality == .good && $0.value == 1010 })
    }

    @Test("devices due together on one bus: the wait behind the devices ahead is start delay, not jitter")
    func queueingBehindDevicesIsStartDelay() async throws {
        let server = try ModbusTCPServer(port: 0, handler: SlowMeters())
        server.start()
        defer { server.stop() }
        let yaml = """
            site: {id: polling-test, time_zone: UTC}
            buses:
              - {id: a, tcp: {host: 127.0.0.1, port: \(server.port)}, response_timeout: 500ms}
            devices:
              - {id: m1, bus: a, unit: 1, interval: 200ms, tags: {v: {register: "holding:10", type: uint16}}}
              - {id: m2, bus: a, unit: 2, interval: 200ms, tags: {v: {register: "holding:10", type: uint16}}}
              - {id: m3, bus: a, unit: 3, interval: 200ms, tags: {v: {register: "holding:10", type: uint16}}}
            """
        let rig = try PollingRig(yaml: yaml)
        rig.start()
        defer { rig.stop() }

        #expect(await eventually(timeout: .seconds(20)) { rig.samples("m3/v").count >= 20 })
        let first = try #require(rig.device("m1")), last = try #require(rig.device("m3"))
        let reply = Int64(SlowMeters.replySeconds * 1e9)
        // m3 waits for the replies to m1 and m2 (20 ms each) on every cycle.
        let lastDelay = try #require(last.startDelay.quantile(0.5)), lastJitter = try #require(last.jitter.quantile(0.5))
        #expect(lastDelay >= 2 * reply, "m3 started \(lastDelay) ns after its deadline, behind two 20 ms replies")
        #expect(lastJitter < reply, "m3's jitter p50 \(lastJitter) ns counts the replies it waited for")
        // The first device served waits for nobody: its delay is its jitter.
        #expect(try #require(first.startDelay.quantile(0.5)) < reply)
        #expect(first.startDelay.total == first.jitter.total && last.startDelay.total == last.jitter.total)
    }
}

/// Units 1, 2 and 3 on one TCP server, each reply 20 ms late.
private final class SlowMeters: ModbusRequestHandler {
    static let replySeconds = 0.02

    func reply(to request: ModbusRequest) -> ModbusReply {
        guard (1...3).contains(request.unit) else { return .silence }
        return .delayed(Self.replySeconds, .registers(Array(repeating: 7, count: Int(request.count))))
    }
}
