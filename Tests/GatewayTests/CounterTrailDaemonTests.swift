import Foundation
import Modbus
import MQTT
import Synchronization
import Testing
import TestSupport

/// An energy meter whose true energy is known at every instant: 2,000 Wh per real second from `origin`,
/// on a uint32 Wh register (holding 0–1) that starts 30,000 Wh below 2^32 (it rolls over 15 s in), and is
/// swapped for a new meter reading 0 Wh `swapAfter` seconds in.
final class SwappedMeter: ModbusRequestHandler {
    static let whPerSecond = 2_000.0
    let origin: Date
    let swapAfter: TimeInterval
    /// Real time of the last request answered by the old meter.
    let lastOldAnswer = Mutex<Date?>(nil)

    init(origin: Date, swapAfter: TimeInterval) {
        self.origin = origin
        self.swapAfter = swapAfter
    }

    func reply(to request: ModbusRequest) -> ModbusReply {
        guard request.unit == 1 else { return .silence }
        let now = Date()
        let elapsed = now.timeIntervalSince(origin)
        let wh: UInt32
        if elapsed < swapAfter {
            lastOldAnswer.withLock { $0 = now }
            wh = UInt32(truncatingIfNeeded: Int64(4_294_967_296 - 30_000 + Self.whPerSecond * max(0, elapsed)))
        } else {
            wh = UInt32(Self.whPerSecond * (elapsed - swapAfter))
        }
        return .registers((0..<Int(request.count)).map { offset in
            switch Int(request.address) + offset {
            case 0: UInt16(wh >> 16)
            case 1: UInt16(wh & 0xFFFF)
            default: 0
            }
        })
    }
}

/// Period records from the real daemon let an auditor follow the counter across a rollover and a meter
/// swap: every hour's `counted = end − start − break_offsets` is its `electricity_import_kwh`, and both
/// match the energy the meter really counted.
@Suite("counter trail in period records, with the daemon, a rollover and a meter swap", .serialized, .timeLimit(.minutes(3)))
struct CounterTrailDaemonTests {
    /// Plant seconds per real second: an hour closes every 10 s.
    static let speed = 360.0

    @Test func rolloverAndSwapLeaveATrailAndTheFiguresMatchTheMeter() async throws {
        let gateway = try await GatewayHarness.start("plantgate-trail")
        let plantStart = Date(timeIntervalSince1970: 1_773_129_600)   // 2026-03-10T08:00:00Z
        let anchor = Date()
        let meter = SwappedMeter(origin: anchor, swapAfter: 35)
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let directory = gateway.directory
        try gateway.writeConfig("""
            site: {id: tr, time_zone: UTC}
            mqtt: {host: 127.0.0.1, port: \(gateway.broker.port), keepalive: 5s, client_id: plantgate-trail-test}
            buses:
              - {id: mcc, tcp: {host: 127.0.0.1, port: \(server.port)}, response_timeout: 300ms}
            devices:
              - id: pm
                bus: mcc
                unit: 1
                interval: 200ms
                tags:
                  energy: {register: "holding:0", type: uint32, order: ABCD, unit: Wh, kind: counter}
            lines:
              - id: l1
                product: {name: "LiOH·H2O", lce_factor: 0.8804, min_t: 0.2}
                inputs:
                  - {tag: pm/energy, role: electricity_import}
            factors:
              grid: {id: test-grid, kgco2e_per_kwh: 0.8, source: test, vintage: 2024}
            state_dir: \(directory.path)/state
            control_socket: \(directory.path)/control.sock
            log_level: info
            """)
        let recorder = try await gateway.recorder("plantgate/tr/lines/l1/periods/hour")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let daemon = try gateway.startDaemon(clock: PlantClock(speed: Self.speed, start: plantStart, anchor: anchor))
        func hours() -> [[String: Any]] { recorder.messages.compactMap { LedgerView.object($0) } }
        // Hours 08–13 close by 65 real seconds (60 s of plant hours and the close delay).
        #expect(await eventually(timeout: .seconds(90)) { hours().count >= 6 }, "log: \(daemon.log)")
        #expect(await daemon.terminate() == 0)

        func real(_ plant: Date) -> Date { anchor.addingTimeInterval(plant.timeIntervalSince(plantStart) / Self.speed) }
        func date(_ text: Any?) -> Date? { (text as? String).flatMap { formatter.date(from: $0) } }
        func number(_ any: Any?) -> Double? { any as? Double ?? (any as? Int).map(Double.init) }
        var kinds: [String] = []
        // Every hour after the first (which starts before the daemon does).
        for record in hours().dropFirst() {
            let counter = try #require((record["counters"] as? [String: Any])?["pm/energy"] as? [String: Any])
            let figure = try #require(number((record["metrics"] as? [String: Any]).flatMap { $0["electricity_import_kwh"] as? [String: Any] }?["v"]))
            let start = try #require(number(counter["start"])), end = try #require(number(counter["end"]))
            let offsets = number(counter["break_offsets"]) ?? 0
            #expect(counter["u"] as? String == "kWh")
            #expect(abs(end - start - offsets - figure) < 1e-6, "\(record["start"] ?? "?"): end − start − offsets ≠ \(figure): \(counter)")
            #expect(abs((number(counter["counted"]) ?? .nan) - figure) < 1e-9)

            // Against the meter: 20 kWh per plant hour (10 real s at 2 kWh/s), less what a swap loses (the old
            // meter's count between its last reading and the swap: no reading can show it).
            let hourStart = try #require(date(record["start"])), hourEnd = try #require(date(record["end"]))
            var expected = SwappedMeter.whPerSecond / 1000 * real(hourEnd).timeIntervalSince(real(hourStart))
            let breaks = counter["breaks"] as? [[String: Any]] ?? []
            for item in breaks {
                let kind = try #require(item["kind"] as? String)
                kinds.append(kind)
                let before = try #require(item["before"] as? [String: Any]), after = try #require(item["after"] as? [String: Any])
                let beforeTime = try #require(date(before["t"])), afterTime = try #require(date(after["t"]))
                #expect(beforeTime < afterTime)
                if kind == "ROLLOVER" {
                    #expect(number(item["modulus"]) == 4_294_967.296, "\(item)")
                    #expect((number(before["v"]) ?? 0) > 4_294_900 && (number(after["v"]) ?? .infinity) < 100)
                } else if kind == "RESET" {
                    // The old meter's last reading, the new one's first, and the energy counted since the swap.
                    #expect((number(after["v"]) ?? .infinity) < 2, "the new meter's first reading: \(item)")
                    #expect(number(item["counted"]) == number(after["v"]))
                    let swap = anchor.addingTimeInterval(meter.swapAfter)
                    let oldLast = try #require(meter.lastOldAnswer.withLock { $0 })
                    #expect(abs(real(beforeTime).timeIntervalSince(oldLast)) < 0.3, "old meter's last reading time: \(item)")
                    expected -= SwappedMeter.whPerSecond / 1000 * swap.timeIntervalSince(real(beforeTime))
                }
            }
            // Readings are stamped when the request is sent: a few real ms of slack on each edge (1 ms = 2 Wh).
            #expect(abs(figure - expected) < 0.1, "\(record["start"] ?? "?"): \(figure) kWh, the meter counted \(expected) kWh")
        }
        #expect(kinds.contains("ROLLOVER") && kinds.contains("RESET"), "breaks seen: \(kinds)")
    }
}
