import Foundation
import PlantModel

extension PlantScenario {
    /// The built-in scenarios' names, as `plantgate sim --scenario` takes them.
    public static let names = ["lithium-hydroxide", "hydromet-copper", "meter-shelf"]

    /// A built-in scenario starting at `start` (whole seconds), or nil for an unknown name. `tankhouseStep`
    /// changes hydromet-copper's tankhouse from one instant on.
    public static func named(_ name: String, start: Date = Date(), seed: UInt64 = 1, tankhouseStep: TankhouseStep? = nil) -> PlantScenario? {
        let epoch = start.timeIntervalSince1970.rounded(.down)
        let start = Date(timeIntervalSince1970: epoch)
        switch name {
        case "lithium-hydroxide": return lithiumHydroxide(start: start, seed: seed)
        case "hydromet-copper":
            var tankhouse = copperTankhouse
            tankhouse.step = tankhouseStep
            return hydrometCopper(start: start, seed: seed, tankhouse: tankhouse)
        case "meter-shelf": return meterShelf(start: start, seed: seed)
        default: return nil
        }
    }

    static func profile(_ name: String) -> MeterProfile {
        MeterProfile.named(name) ?? MeterProfile(name: name, summary: "missing", tags: [])
    }

    /// 20 kt/yr LiOH·H2O: ~2.5 t/h, ~8.8 MW electric, ~5,000 Nm3/h gas, ~28 m3/h fresh water (metrics.md §3.1).
    static func lithiumHydroxide(start: Date, seed: UInt64) -> PlantScenario {
        let curve = ProcessCurve(startEpoch: start.timeIntervalSince1970, utcOffsetHours: 5, seed: seed)
        let intake = RateShape(nominal: 28, coupling: 0.8, wobble: 0.02, stream: 40)
        let meters = [
            SimulatedMeter(id: "pm-main", bus: "mcc", unit: 1, profile: profile("schneider-pm5xxx"),
                           physics: PowerMeterModel(style: .schneider, load: RateShape(nominal: 8_800, coupling: 0.7, stream: 10), powerFactor: 0.92),
                           curve: curve),
            SimulatedMeter(id: "pm-aux", bus: "mcc", unit: 3, profile: profile("eastron-sdm630"),
                           physics: PowerMeterModel(style: .eastron, load: RateShape(nominal: 250, coupling: 0.3, wobble: 0.03, stream: 20), powerFactor: 0.88),
                           curve: curve),
            SimulatedMeter(id: "fm-intake", bus: "field", unit: 2, profile: profile("eh-promag"),
                           physics: FlowMeterModel(flow: intake), curve: curve, waterRole: .intake),
            SimulatedMeter(id: "fm-recycle", bus: "field", unit: 4, profile: profile("eh-promag"),
                           physics: FlowMeterModel(flow: RateShape(nominal: 40, coupling: 0.9, wobble: 0.02, stream: 50)), curve: curve, waterRole: .recycle),
            SimulatedMeter(id: "fm-discharge", bus: "field", unit: 5, profile: profile("eh-promag"),
                           physics: FlowMeterModel(discharge: .init(intake: intake, ratio: 22.0 / 28.0, stream: 60)), curve: curve, waterRole: .discharge),
            SimulatedMeter(id: "gas-calciner", bus: "field", unit: 6, profile: profile("gas-ek"),
                           physics: GasMeterModel(flow: RateShape(nominal: 5_000, coupling: 0.9, stream: 70)), curve: curve),
            SimulatedMeter(id: "scale-product", bus: "field", unit: 7, profile: profile("belt-scale"),
                           physics: BeltScaleModel(product: RateShape(nominal: 2.5, coupling: 1, wobble: 0.03, stream: 80)), curve: curve),
        ]
        return PlantScenario(name: "lithium-hydroxide", summary: "20 kt/yr LiOH·H2O line lioh-1", start: start, seed: seed, curve: curve, meters: meters)
    }

    /// The hydromet-copper tankhouse: 96 cells at ~28.5 kA and 2.0 V, 92 % current efficiency: ~3 t/h
    /// cathode at ~1,830 DC kWh/t.
    public static let copperTankhouse = Tankhouse(
        spec: ElectrowinningSpec(metal: .cu, cells: 96), current: RateShape(nominal: 28_500, coupling: 0.9, wobble: 0.005, stream: 110),
        cellVoltage: 2.0, efficiency: 0.92)

    /// Leach–SX–EW copper: ~3 t/h cathode at ~2,000 kWh/t (metrics.md §3.2). The rectifier's DC side and
    /// the cathode scale follow one tankhouse (`copperTankhouse`), so CE and DC kWh/t have a ground truth.
    static func hydrometCopper(start: Date, seed: UInt64, tankhouse: Tankhouse = copperTankhouse) -> PlantScenario {
        let curve = ProcessCurve(startEpoch: start.timeIntervalSince1970, utcOffsetHours: -4, seed: seed, dailyAmplitude: 0.02)
        let raw = RateShape(nominal: 60, coupling: 0.6, wobble: 0.02, stream: 140)
        let meters = [
            SimulatedMeter(id: "pm-rectifier", bus: "mcc", unit: 1, profile: profile("schneider-pm5xxx"),
                           physics: PowerMeterModel(style: .schneider, load: RateShape(nominal: 6_000, coupling: 0.9, wobble: 0.005, stream: 110),
                                                    powerFactor: 0.95, ripple: 0.01, ripplePeriod: 300),
                           curve: curve),
            SimulatedMeter(id: "rect-ew", bus: "mcc", unit: 2, profile: profile("ew-rectifier"),
                           physics: RectifierModel(tankhouse: tankhouse), curve: curve),
            SimulatedMeter(id: "pm-pumps", bus: "mcc", unit: 3, profile: profile("eastron-sdm630"),
                           physics: PowerMeterModel(style: .eastron, load: RateShape(nominal: 400, coupling: 0.5, wobble: 0.02, stream: 120), powerFactor: 0.86),
                           curve: curve),
            SimulatedMeter(id: "fm-raw", bus: "field", unit: 2, profile: profile("eh-promag"),
                           physics: FlowMeterModel(flow: raw), curve: curve, waterRole: .intake),
            SimulatedMeter(id: "fm-raffinate", bus: "field", unit: 4, profile: profile("eh-promag"),
                           physics: FlowMeterModel(flow: RateShape(nominal: 300, coupling: 0.8, wobble: 0.015, stream: 150)), curve: curve, waterRole: .recycle),
            SimulatedMeter(id: "fm-discharge", bus: "field", unit: 5, profile: profile("eh-promag"),
                           physics: FlowMeterModel(discharge: .init(intake: raw, ratio: 0.25, stream: 160)), curve: curve, waterRole: .discharge),
            SimulatedMeter(id: "scale-cathode", bus: "field", unit: 7, profile: profile("cathode-scale"),
                           physics: BeltScaleModel(product: RateShape(nominal: 3, coupling: 0.9, wobble: 0.02, stream: 180), beltSpeed: 0.5,
                                                   tankhouse: tankhouse), curve: curve),
        ]
        return PlantScenario(name: "hydromet-copper", summary: "leach–SX–EW copper line ew-1", start: start, seed: seed, curve: curve, meters: meters)
    }
}
