import Foundation

/// A three-phase power meter's instantaneous quantities, consistent with each other:
/// per-phase P = V_LN·I·PF, P = ΣP_phase, Q = P·tanφ, S = √(P²+Q²).
public struct ElectricalReading: Sendable, Hashable {
    public var phaseVoltage: [Double]
    public var lineVoltage: [Double]
    public var phaseCurrent: [Double]
    public var phasePowerKW: [Double]
    public var totalKW: Double
    public var reactiveKvar: Double
    public var apparentKVA: Double
    /// Power factor magnitude (lagging).
    public var powerFactor: Double
    public var frequency: Double

    /// Builds the reading from total power, power factor, phase voltages and phase shares (summing to 3).
    public init(totalKW: Double, powerFactor: Double, phaseVoltage: [Double], shares: [Double], frequency: Double) {
        self.totalKW = totalKW
        self.powerFactor = powerFactor
        self.phaseVoltage = phaseVoltage
        self.frequency = frequency
        phasePowerKW = shares.map { totalKW * $0 / 3 }
        phaseCurrent = zip(phasePowerKW, phaseVoltage).map { power, volts in power * 1000 / (volts * powerFactor) }
        // Phasors 120° apart: |Va − Vb| = √(Va² + Vb² + Va·Vb).
        lineVoltage = (0..<3).map { k in
            let a = phaseVoltage[k], b = phaseVoltage[(k + 1) % 3]
            return (a * a + b * b + a * b).squareRoot()
        }
        reactiveKvar = totalKW * tan(acos(powerFactor))
        apparentKVA = (totalKW * totalKW + reactiveKvar * reactiveKvar).squareRoot()
    }
}
