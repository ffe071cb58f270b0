import ESG
import Foundation
import PlantModel

/// `MetricEngine.ingest` alone on one core: a line with a power meter (instantaneous kW), an energy
/// counter, a water totalizer and a product counter, fed 100 ms samples.
struct EngineBenchmarkResult: Codable, Sendable {
    var samples: Int
    var seconds: Double
    var samplesPerSecondPerCore: Double
    var allocationsPerSample: Double?
}

enum EngineBenchmark {
    static let yaml = """
    site: {id: bench, time_zone: Europe/Berlin}
    buses:
      - {id: mcc, tcp: {host: 127.0.0.1, port: 1502}}
    devices:
      - id: pm
        bus: mcc
        unit: 1
        tags:
          power: {register: "holding:100", type: float32, unit: kW}
          energy: {register: "holding:102", type: uint32, unit: Wh, kind: counter}
          water: {register: "holding:104", type: uint32, unit: m3, kind: counter}
          product: {register: "holding:106", type: uint32, unit: kg, kind: counter}
    lines:
      - id: l1
        name: Line 1
        product: {name: "LiOH·H2O", lce_factor: 0.8804, min_t: 0.2}
        inputs:
          - {tag: pm/energy, role: electricity_import}
          - {tag: pm/power, role: active_power}
          - {tag: pm/water, role: water_withdrawal, source: groundwater, quality: fresh}
          - {tag: pm/product, role: product}
    factors:
      grid: {id: bench-grid, kgco2e_per_kwh: 0.8, source: bench, vintage: 2024}
    """

    static func run(samples: Int) throws -> EngineBenchmarkResult {
        let plan = try BenchmarkPlant.plan(yaml)
        let start = Instant(wallNanos: 1_790_000_000_000_000_000, monoNanos: 1_000_000_000)
        var engine = try MetricEngine(site: plan.site, lines: plan.lines, settings: EngineSettings(pollIntervalNanos: 100_000_000), start: start)
        let tags = ["pm/power", "pm/energy", "pm/water", "pm/product"].map { plan.tag(path: $0)?.index ?? 0 }
        var time = start
        // Warm up so every counter has a baseline and storage is in place.
        for step in 0..<1000 { feed(&engine, tags, step, &time) }
        let allocationsBefore = AllocationCounter.count
        let clock = ContinuousClock(), began = clock.now
        for step in 1000..<(1000 + samples / tags.count) { feed(&engine, tags, step, &time) }
        let elapsed = began.duration(to: clock.now)
        let allocationsAfter = AllocationCounter.count
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let fed = samples / tags.count * tags.count
        return EngineBenchmarkResult(
            samples: fed, seconds: seconds, samplesPerSecondPerCore: Double(fed) / seconds,
            allocationsPerSample: allocationsAfter.flatMap { end in allocationsBefore.map { Double(end - $0) / Double(fed) } })
    }

    @inline(__always)
    private static func feed(_ engine: inout MetricEngine, _ tags: [TagIndex], _ step: Int, _ time: inout Instant) {
        time.wallNanos += 100_000_000
        time.monoNanos += 100_000_000
        // Computed per tag rather than kept in an array literal, which would allocate on every step.
        for index in tags.indices {
            let value = switch index {
            case 0: 8_800 + Double(step % 7)
            case 1: Double(1_000_000 + step * 244)
            case 2: Double(50_000 + step / 100)
            default: Double(200_000 + step / 10)
            }
            engine.ingest(Sample(tag: tags[index], value: value, quality: .good, time: time))
        }
    }
}
