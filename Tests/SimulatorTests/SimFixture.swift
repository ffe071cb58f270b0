import Foundation
import Modbus
import ModbusProtocol
import PlantModel
import Simulator

/// A scenario served on ephemeral ports with a hand-set clock, and clients for its two buses.
final class SimFixture: @unchecked Sendable {
    let clock = ManualClock()
    let simulation: Simulation
    let servers: PlantServers
    /// Fixed so time-of-day curves are the same in every run.
    static let start = Date(timeIntervalSince1970: 1_750_000_000)

    init(_ scenario: String = "lithium-hydroxide", schedule: FaultSchedule = FaultSchedule(), seed: UInt64 = 7) throws {
        guard let plant = PlantScenario.named(scenario, start: Self.start, seed: seed) else { throw FixtureError("no scenario \(scenario)") }
        simulation = try Simulation(scenario: plant, schedule: schedule, clock: clock)
        servers = try PlantServers(simulation: simulation, mccPort: 0, fieldPort: 0)
        try servers.start()
    }

    deinit { servers.stop() }

    /// Sets the clock and runs the plant there, so a client's timeout never includes the model catching up.
    func fastForward(to t: Double) {
        clock.set(t)
        _ = simulation.withPlant(at: t) { _, now in now }
    }

    func client(_ bus: String, timeout: Double = 0.5) throws -> ModbusClient {
        let client = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: servers.port(of: bus) ?? 0), timeouts: ModbusTimeouts(response: timeout, byte: 0.2))
        try client.connect()
        return client
    }

    /// Decodes `words` with a profile tag's own spec, independently of the simulator's layout code.
    static func decode(_ words: [UInt16], profile: String, tag: String) -> Double {
        guard let config = MeterProfile.named(profile)?.tags.first(where: { $0.name == tag }), let type = config.type else { return .nan }
        let spec = DecodeSpec(type: type, order: config.order ?? .abcd, scale: config.scale ?? 1, sumOf: config.sumOf ?? 1, transform: config.transform ?? .none)
        return words.withUnsafeBufferPointer { RegisterDecoder.decode(spec, words: $0, at: 0).value }
    }

    /// Reads and decodes one profile tag of the meter at `unit` on `bus`.
    func read(_ client: ModbusClient, unit: UInt8, profile: String, tag: String) throws -> Double {
        guard let config = MeterProfile.named(profile)?.tags.first(where: { $0.name == tag }), let register = config.register, let type = config.type else {
            throw FixtureError("no tag \(tag) in \(profile)")
        }
        let table: RegisterTable = register.table == .input ? .input : .holding
        let words = try client.readRegisters(table, unit: unit, address: register.address, count: type.registerWidth * (config.sumOf ?? 1))
        return Self.decode(words, profile: profile, tag: tag)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
