import Gateway
import Logging
import Modbus
import PlantModel
import Testing
import TestSupport

/// A meter that refuses one register of a block (exception 02) must cost only that tag.
@Suite("Block bisection", .serialized)
struct BisectionTests {
    @Test func oneRefusedRegisterIsIsolatedAndTheRestOfTheBlockKeepsDelivering() async throws {
        let refused = 3108
        let meter = OracleMeter(refusing: [refused])
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let addresses = Array(stride(from: 3100, through: 3114, by: 2))
        let tags = addresses.map { #"r\#($0): {register: "holding:\#($0)", type: uint16}"# }
        let rig = try PollingRig(yaml: PollingConfigs.oneMeter(port: server.port, interval: "50ms", tags: tags,
                                                               bus: "response_timeout: 200ms, retries: 0"))
        rig.start()
        defer { rig.stop() }

        #expect(await eventually { addresses.allSatisfy { rig.samples("m/r\($0)").count >= 10 } })
        let split = monotonicNow()
        let cyclesBefore = try #require(rig.device("m")).cycles
        #expect(await eventually { (rig.device("m")?.cycles ?? 0) >= cyclesBefore + 20 })
        let statistics = try #require(rig.device("m"))
        let requestsPerCycle = Double(meter.arrivals(since: split).count) / Double(statistics.cycles - cyclesBefore)

        for address in addresses where address != refused {
            let samples = rig.samples("m/r\(address)")
            #expect(samples.allSatisfy { $0.quality == .good && $0.value == Double(OracleMeter.value(at: address)) }, "tag r\(address)")
        }
        let bad = rig.samples("m/r\(refused)")
        #expect(bad.count >= 10)
        #expect(bad.allSatisfy { $0.quality == .bad && $0.reason == .exception && $0.value.isNaN })
        #expect(statistics.refusedTags == 1)
        #expect(statistics.up)
        // 8 tags, one refused: the split plan needs ⌈log2 8⌉ = 3 requests, far fewer than one per tag.
        print("bisection: \(requestsPerCycle) requests per cycle after the split")
        #expect(requestsPerCycle <= 3.2, "\(requestsPerCycle) requests per cycle")
        #expect(rig.log.lines(atLeast: .warning).count { $0.contains("device refuses registers") } == 1)
    }
}
