import PlantModel

/// The clock samples are stamped with and calendar periods are cut by: the real clock, or a simulated one
/// that runs K times faster (`SimulatedClock`, test benches only). A value handed to every part that
/// stamps plant time, decided once at start (`plantgated` reads `PLANTGATE_SIMULATED_CLOCK` in `main`);
/// no part reads the environment or a process global for it.
public struct PlantClock: Sendable, Hashable {
    /// The simulated clock in force; nil on real time.
    public let simulation: SimulatedClock?

    /// Real time.
    public static let real = PlantClock(simulation: nil)

    public init(simulation: SimulatedClock?) {
        self.simulation = simulation
    }

    /// The plant clock `PLANTGATE_SIMULATED_CLOCK` asks for in `environment` (real time when unset or
    /// empty), pinned at the real instant `real`; the reason when the value is unusable.
    public static func from(environment: [String: String], real: Instant) throws(SimulatedClockError) -> PlantClock {
        guard let text = environment[SystemClock.simulationVariable], !text.isEmpty else { return .real }
        return PlantClock(simulation: try SimulatedClock.parse(text, real: real))
    }

    /// Plant seconds per real second: 1 unless simulated.
    public var speed: Double { simulation?.speed ?? 1 }

    /// The current instant on the plant clock: what a sample read now is stamped with.
    @inline(__always)
    public func now() -> Instant { plantTime(of: SystemClock.now()) }

    /// The plant instant at a real instant (the same instant unless simulated).
    @inline(__always)
    public func plantTime(of real: Instant) -> Instant {
        guard let simulation else { return real }
        return simulation.plantTime(of: real)
    }

    /// A real duration in plant nanoseconds (the same unless simulated).
    public func plantNanos(real nanos: Int64) -> Int64 {
        simulation?.plantNanos(real: nanos) ?? nanos
    }

    /// A plant duration in real nanoseconds: how long the real clock takes to get the plant clock that far.
    public func realNanos(plant nanos: Int64) -> Int64 {
        guard let simulation else { return nanos }
        return Int64(min((Double(nanos) / simulation.speed).rounded(), Double(Int64.max / 2)))
    }
}
