import ESG
import PlantModel

/// Builders and a clock-driven feeder shared by the ESG tests.
enum Fixture {
    static let grid = EmissionFactor(id: "grid-test-2024", value: 0.4, unit: "kgCO2e/kWh", source: "test", vintage: 2024)
    static let gas = EmissionFactor(id: "ipcc-ng", value: 56.1, unit: "kgCO2e/GJ", source: "IPCC 2006")
    static let market = MarketBasedFactors(
        instrumentShare: 0.5,
        instrument: EmissionFactor(id: "goo-hydro", value: 0, unit: "kgCO2e/kWh", source: "test"),
        residual: EmissionFactor(id: "residual-de", value: 0.6, unit: "kgCO2e/kWh", source: "test"))

    static func site(zone: String = "UTC", shifts: [Int] = [], market: MarketBasedFactors? = nil) -> SiteDefinition {
        SiteDefinition(id: "test", timeZone: zone, shiftStarts: shifts,
                       factors: EmissionFactors(grid: grid, market: market, fuels: ["natural_gas": gas], gwpSet: "AR6"))
    }

    static func counter(_ tag: TagIndex, _ path: String, _ role: InputRole, toBase: Double = 1, rate: Double, modulus: Double? = nil, marker: TagIndex? = nil) -> LineInput {
        LineInput(tag: tag, tagPath: path, role: role, toBase: toBase,
                  counter: CounterSpec(modulus: modulus, maxRatePerHour: rate, resetMarker: marker))
    }

    /// The lithium-hydroxide line of plant.md, one tag per role (tags 0…8).
    static func lioh(minimumTonnes: Double = 0.5) -> LineDefinition {
        LineDefinition(id: "lioh-1", name: "LiOH", product: ProductBasis(name: "LiOH·H2O", lceFactor: 0.8804, minimumTonnes: minimumTonnes), inputs: [
            counter(0, "pm-main/energy_import", .electricityImport, toBase: 0.001, rate: 20_000),
            counter(1, "pm-main/energy_export", .electricityExport, toBase: 0.001, rate: 20_000),
            counter(2, "pm-main/reactive_import", .reactiveImport, toBase: 0.001, rate: 20_000),
            LineInput(tag: 3, tagPath: "gas-calciner/volume_corrected", role: .gasVolume,
                      counter: CounterSpec(modulus: 42_949_672.96, maxRatePerHour: 10_000), fuel: FuelSpec(fuel: "natural_gas", ncvMJPerNm3: 35.8)),
            counter(4, "fm-intake/volume_total", .waterWithdrawal(source: .groundwater, quality: .fresh), rate: 100),
            counter(5, "fm-discharge/volume_total", .waterDischarge(destination: .surface, quality: .other), rate: 100),
            counter(6, "fm-recycle/volume_total", .waterRecycle, rate: 200),
            counter(7, "scale-product/total", .product, rate: 10),
            LineInput(tag: 8, tagPath: "pm-main/power_total", role: .activePower),
        ])
    }
}

/// Feeds samples on an injected clock: wall = epoch + s, mono = monoBase + s.
struct Feeder {
    var engine: MetricEngine
    let epochNanos: Int64
    var monoBase: Int64 = 1_000_000_000_000
    var records: [PeriodRecord] = []
    var live: [MetricUpdate] = []

    init(site: SiteDefinition, lines: [LineDefinition], settings: EngineSettings = EngineSettings(), epoch: Int64) throws {
        epochNanos = epoch * 1_000_000_000
        engine = try MetricEngine(site: site, lines: lines, settings: settings, start: Instant(wallNanos: epochNanos, monoNanos: monoBase))
    }

    func instant(_ seconds: Double) -> Instant {
        let n = Int64((seconds * 1e9).rounded())
        return Instant(wallNanos: epochNanos + n, monoNanos: monoBase + n)
    }

    mutating func sample(_ tag: TagIndex, _ value: Double, at seconds: Double, quality: Quality = .good, reason: SampleReason = .none) {
        engine.ingest(Sample(tag: tag, value: value, quality: quality, reason: reason, time: instant(seconds)))
    }

    mutating func advance(to seconds: Double) {
        var r: [PeriodRecord] = []
        var l: [MetricUpdate] = []
        engine.advance(to: instant(seconds), live: { l.append($0) }, closed: { r.append($0) })
        records += r
        live += l
    }

    func record(_ kind: PeriodKind, startingAt seconds: Double) -> PeriodRecord? {
        let start = epochNanos + Int64(seconds * 1e9)
        return records.first { $0.period == kind && $0.span.start == start }
    }
}

/// SplitMix64: a small seeded generator so random streams are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func close(_ a: Double?, _ b: Double, rel: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= rel * max(1, abs(b))
}
