import PlantModel

/// An electrowinning tankhouse: `cells` in series on one rectifier, plating at a current efficiency
/// that drifts slowly around its nominal value. The rectifier's meter and the cathode scale both read it,
/// so DC energy, charge and cathode agree by Faraday's law.
public struct Tankhouse: Sendable, Hashable {
    public var spec: ElectrowinningSpec
    /// DC current, A, following the line's throughput.
    public var current: RateShape
    /// Mean cell voltage, V.
    public var cellVoltage: Double
    /// Current efficiency, 0…1.
    public var efficiency: Double
    /// Hours between harvests: the PLC counts one every `harvestHours`, on the hour in UTC (every 6 h: at
    /// 00:00, 06:00, 12:00 and 18:00 UTC). The scale weighs the stripped cathode continuously, as a
    /// stripping machine working through the cells does, so a cycle's cathode is what was plated in it.
    public var harvestHours: Double
    /// A step in energy efficiency from one instant on (nil: none).
    public var step: TankhouseStep?
    public init(spec: ElectrowinningSpec, current: RateShape, cellVoltage: Double, efficiency: Double, harvestHours: Double = 6) {
        self.spec = spec
        self.current = current
        self.cellVoltage = cellVoltage
        self.efficiency = efficiency
        self.harvestHours = harvestHours
    }

    /// Harvests counted by `epochSeconds` (Unix time): one per `harvestHours` since the epoch.
    public func harvests(atEpoch epochSeconds: Double) -> Double {
        (epochSeconds / (harvestHours * 3600)).rounded(.down)
    }

    public func amperes(at t: Double, curve: ProcessCurve) -> Double { current.rate(at: t, curve: curve) }

    public func cellVolts(at t: Double, curve: ProcessCurve) -> Double {
        let stepped = step.map { curve.startEpoch + t >= $0.atEpoch ? $0.factor : 1 } ?? 1
        return cellVoltage * stepped * curve.wobble(stream: current.stream &+ 11, amplitude: 0.01, at: t)
    }

    public func currentEfficiency(at t: Double, curve: ProcessCurve) -> Double {
        min(0.99, efficiency * curve.wobble(stream: current.stream &+ 13, amplitude: 0.005, at: t))
    }

    /// DC voltage over all cells in series, V.
    public func dcVolts(at t: Double, curve: ProcessCurve) -> Double {
        Double(spec.cells) * cellVolts(at: t, curve: curve)
    }

    /// Metal plated, t/h: Faraday's law at the current efficiency.
    public func platingTonnesPerHour(at t: Double, curve: ProcessCurve) -> Double {
        currentEfficiency(at: t, curve: curve) * amperes(at: t, curve: curve) * spec.tonnesPerAmpereHour
    }
}
