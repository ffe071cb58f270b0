import Gateway
import PlantModel
import Testing

@Suite("Simulated plant clock (PLANTGATE_SIMULATED_CLOCK)")
struct SimulatedClockTests {
    /// 2026-01-01T00:00:00Z and 2025-06-01T10:00:00Z in ns.
    static let plantStart: Int64 = 1_767_225_600 * 1_000_000_000
    static let realAnchor: Int64 = 1_748_772_000 * 1_000_000_000

    @Test func plantTimeRunsKTimesFasterFromTheAnchorOnBothClocks() throws {
        // The process looks 2 real seconds after the anchor, on a monotonic clock at 5,000 s.
        let real = Instant(wallNanos: Self.realAnchor + 2_000_000_000, monoNanos: 5_000_000_000_000)
        let clock = try SimulatedClock.parse("480@2026-01-01T00:00:00Z@2025-06-01T10:00:00Z", real: real)
        let now = clock.plantTime(of: real)
        #expect(now.wallNanos == Self.plantStart + 960_000_000_000)
        #expect(now.monoNanos == real.monoNanos)
        let later = clock.plantTime(of: Instant(wallNanos: real.wallNanos + 250_000_000, monoNanos: real.monoNanos + 250_000_000))
        #expect(later.wallNanos - now.wallNanos == 120_000_000_000)
        #expect(later.monoNanos - now.monoNanos == 120_000_000_000)
        #expect(clock.plantNanos(real: 5_000_000_000) == 2_400_000_000_000)
    }

    @Test func aRestartedProcessWithTheSameSettingAgreesOnPlantTime() throws {
        let setting = "480@2026-01-01T00:00:00Z@2025-06-01T10:00:00.000Z"
        let first = try SimulatedClock.parse(setting, real: Instant(wallNanos: Self.realAnchor + 1_000_000_000, monoNanos: 10_000_000_000))
        // Ten real seconds later a new process starts, with a different monotonic origin.
        let second = try SimulatedClock.parse(setting, real: Instant(wallNanos: Self.realAnchor + 11_000_000_000, monoNanos: 77_000_000_000))
        let a = first.plantTime(of: Instant(wallNanos: 0, monoNanos: 20_000_000_000))
        let b = second.plantTime(of: Instant(wallNanos: 0, monoNanos: 77_000_000_000))
        #expect(a.wallNanos == b.wallNanos)
        #expect(a.wallNanos == Self.plantStart + 11 * 480 * 1_000_000_000)
    }

    @Test func withoutAnAnchorPlantTimeStartsNow() throws {
        let real = Instant(wallNanos: Self.realAnchor, monoNanos: 1_000)
        let clock = try SimulatedClock.parse("60@2026-01-01T00:00:00Z", real: real)
        #expect(clock.plantTime(of: real).wallNanos == Self.plantStart)
        #expect(clock.speed == 60)
    }

    @Test(arguments: ["fast@2026-01-01T00:00:00Z", "0@2026-01-01T00:00:00Z", "480", "480@yesterday", "480@2026-01-01T00:00:00Z@soon", "480@2026-01-01T00:00:00Z@x@y"])
    func unusableSettingsSayWhatToWrite(_ text: String) {
        do throws(SimulatedClockError) {
            let clock = try SimulatedClock.parse(text, real: Instant(wallNanos: 0, monoNanos: 0))
            Issue.record("accepted \(text) as \(clock)")
        } catch {
            #expect(error.description.contains("PLANTGATE_SIMULATED_CLOCK=\"\(text)\""))
            #expect(error.description.contains("write e.g. 480@2026-01-01T00:00:00Z"))
        }
    }

    @Test func theRealClockIsUnchangedWhenTheVariableIsUnset() throws {
        let clock = try PlantClock.from(environment: ["PATH": "/usr/bin"], real: SystemClock.now())
        #expect(clock.simulation == nil)
        let real = SystemClock.now()
        #expect(clock.plantTime(of: real) == real)
        #expect(clock.plantNanos(real: 1_000) == 1_000)
    }

    @Test func theVariableIsReadFromTheEnvironmentItIsGiven() throws {
        let real = Instant(wallNanos: 1_000_000_000_000, monoNanos: 5_000_000_000)
        let clock = try PlantClock.from(environment: [SystemClock.simulationVariable: "480@2026-01-01T00:00:00Z"], real: real)
        #expect(clock.speed == 480)
        let later = Instant(wallNanos: real.wallNanos + 1_000_000_000, monoNanos: real.monoNanos + 1_000_000_000)
        #expect(clock.plantTime(of: later).wallNanos - clock.plantTime(of: real).wallNanos == 480_000_000_000)
        #expect(throws: SimulatedClockError.self) { try PlantClock.from(environment: [SystemClock.simulationVariable: "fast"], real: real) }
    }
}
