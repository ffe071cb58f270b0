import Foundation
import ModbusProtocol
import PlantModel

/// A three-phase PV inverter speaking SunSpec: "SunS" at 40000, common model 1 (length 65), inverter model
/// 103 (length 50), end model. Values are integers with scale factors; the power and energy factors switch
/// between 0 and 1 every 5 simulated minutes, as real inverters rescale at run time, so a reader that caches
/// a factor reads 10× wrong half the time.
public struct SunSpecInverterModel: MeterPhysics {
    public var power: RateShape
    public var powerFactor: Double

    public init(power: RateShape, powerFactor: Double = 0.99) {
        self.power = power
        self.powerFactor = powerFactor
    }

    /// Where the inverter model's ID register sits.
    public static let modelAddress = 40_069

    /// The device's register layout as a profile (raw integers; the simulator's own, not a built-in).
    public static let profile: MeterProfile = {
        func word(_ name: String, _ address: Int, _ type: ValueType = .uint16) -> TagConfig {
            TagConfig(name: name, register: RegisterAddress(table: .holding, address: address), type: type, order: .abcd, unit: "1")
        }
        var tags = [word("marker_hi", 40_000), word("marker_lo", 40_001), word("common_id", 40_002), word("common_length", 40_003),
                    word("common_device_address", 40_068), word("model_id", modelAddress), word("model_length", modelAddress + 1)]
        for point in SunSpecInverterPoints.points {
            tags.append(word(point.tag, modelAddress + 2 + point.offset, point.type))
            tags.append(word(point.tag + "_sf", modelAddress + 2 + point.scaleFactorOffset, .int16))
        }
        tags += [word("end_id", modelAddress + 52), word("end_length", modelAddress + 53)]
        for (k, _) in nameplate.enumerated() { tags.append(word("common_\(k)", 40_004 + k)) }
        return MeterProfile(name: "sunspec-inverter", summary: "simulated SunSpec inverter (model 103)", tags: tags)
    }()

    /// Common model 1's Mn, Md, Opt, Vr and SN registers (ASCII).
    static let nameplate: [UInt16] = RegisterEncoder.words(text: "plantgate", length: 16) + RegisterEncoder.words(text: "SIM-PV-20K", length: 16)
        + RegisterEncoder.words(text: "", length: 8) + RegisterEncoder.words(text: "1.0.0", length: 8) + RegisterEncoder.words(text: "SN0000042", length: 16)

    public var counters: [CounterChannel] { [CounterChannel(tag: "ac_energy", truthKey: "pv_wh")] }

    public var primaryGauge: String { "ac_power" }

    /// AC power in W.
    func watts(at t: Double, curve: ProcessCurve) -> Double { power.rate(at: t, curve: curve) * 1000 }

    /// The power/energy scale factor at `t`: 0, then 1, alternating every 300 s.
    public static func scaleFactor(at t: Double) -> Int { Int((t / 300).rounded(.down)) % 2 }

    public func rates(at t: Double, curve: ProcessCurve) -> [Double] { [watts(at: t, curve: curve)] }

    public func gauges(at t: Double, curve: ProcessCurve) -> [(key: String, value: Double)] {
        [("pv_power_w", watts(at: t, curve: curve))]
    }

    public func tagValues(at t: Double, curve: ProcessCurve, context: MeterContext) -> [String: Double] {
        let w = watts(at: t, curve: curve)
        let sf = Double(Self.scaleFactor(at: t))
        let step = sf == 0 ? 1.0 : 10.0
        let volts = 230.94 * (1 + 0.004 * curve.noise.value(stream: 901, at: t))
        var values: [String: Double] = [
            "marker_hi": 0x5375, "marker_lo": 0x6E53, "common_id": 1, "common_length": 65, "common_device_address": 1,
            "model_id": 103, "model_length": 50, "end_id": 0xFFFF, "end_length": 0,
            "ac_current": (w / (3 * volts * powerFactor) * 100).rounded(), "ac_current_sf": -2,
            "ac_voltage_an": (volts * 10).rounded(), "ac_voltage_an_sf": -1,
            "ac_frequency": ((50 + 0.03 * curve.noise.value(stream: 910, at: t)) * 100).rounded(), "ac_frequency_sf": -2,
            "ac_power_factor": (powerFactor * 1000).rounded(), "ac_power_factor_sf": -1,
            "ac_power": (w / step).rounded(), "ac_power_sf": sf,
            "ac_apparent_power": (w / powerFactor / step).rounded(), "ac_apparent_power_sf": sf,
            "ac_reactive_power": (w * tan(acos(powerFactor)) / step).rounded(), "ac_reactive_power_sf": sf,
            "ac_energy_sf": sf,
        ]
        values["ac_energy"] = ((context.display.first ?? 0) / step).rounded(.down)
        for (k, word) in Self.nameplate.enumerated() { values["common_\(k)"] = Double(word) }
        return values
    }
}
