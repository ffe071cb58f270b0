/// Which tag units can feed which line role, and the factor to the role's base unit.
public enum UnitConversion {
    static let accepted: [String: [String: Double]] = [
        "kWh": ["Wh": 0.001, "kWh": 1, "MWh": 1000, "GWh": 1e6],
        "kW": ["W": 0.001, "kW": 1, "MW": 1000],
        "kvarh": ["varh": 0.001, "kvarh": 1, "Mvarh": 1000],
        "kVAh": ["VAh": 0.001, "kVAh": 1, "MVAh": 1000],
        "Nm3": ["Nm3": 1, "kNm3": 1000],
        "m3": ["m3": 1, "l": 0.001, "L": 0.001, "ML": 1000],
        "t": ["t": 1, "kg": 0.001],
        "m": ["m": 1, "cm": 0.01, "mm": 0.001],
        "A": ["A": 1, "kA": 1000],
        "V": ["V": 1, "kV": 1000],
        "1": ["": 1, "1": 1],
    ]

    /// The factor from `unit` to the role's base unit (Wh → kWh: 0.001), or why the unit does not fit.
    public static func toBase(from unit: String, role: InputRole) -> Result<Double, UnitMismatch> {
        let base = role.baseUnit
        if let factor = accepted[base]?[unit] { return .success(factor) }
        // By size, then by name: "l" and "L" are the same size, and the message must not vary from run to run.
        let options = (accepted[base] ?? [:]).sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key).joined(separator: ", ")
        let what = role.isCounter ? "a counter in \(base) (\(options) accepted)" : "a value in \(base) (\(options) accepted)"
        var explanation = "unit \"\(unit)\" does not fit role \(role.configName), which needs \(what)"
        if role.isCounter, unit.contains("/") || ["W", "kW", "MW", "var", "kvar", "VA", "kVA"].contains(unit) {
            explanation += "; \(unit) is a rate — use the meter's totalizer/energy counter tag"
            if base == "kWh" { explanation += ", or role active_power for a power tag" }
        }
        return .failure(UnitMismatch(message: explanation))
    }

    /// Why a unit cannot feed a role.
    public struct UnitMismatch: Error, Sendable, Hashable {
        public var message: String
    }

    /// A generous default for `CounterSpec.maxRatePerHour` (base units per hour) when a tag sets no
    /// `max_rate`: well above any single line (1 GW, 500,000 Nm3/h, 50,000 m3/h, 5,000 t/h), so that
    /// only corrupt jumps are flagged.
    public static func defaultMaxRate(for role: InputRole) -> Double {
        switch role {
        case .electricityImport, .electricityExport, .reactiveImport, .apparentImport, .activePower, .dcEnergy, .onsiteGeneration: 1_000_000
        case .gasVolume: 500_000
        case .waterWithdrawal, .waterDischarge, .waterRecycle: 50_000
        case .product, .cathode: 5_000
        case .storageLevel, .dcCurrent, .dcVoltage, .harvestCount: .infinity
        }
    }
}
