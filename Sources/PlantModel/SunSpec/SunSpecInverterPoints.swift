import ModbusProtocol
/// The inverter models 101 (single phase), 102 (split phase) and 103 (three phase): the points plantgate
/// publishes, each with its scale-factor point.
///
/// Offsets are from the model's first data register (its ID register + 2), as in the SunSpec Information
/// Model for models 101–103 (length 50): A 0 / A_SF 4, PhVphA 8 / V_SF 11, W 12 / W_SF 13, Hz 14 / Hz_SF 15,
/// VA 16 / VA_SF 17, VAr 18 / VAr_SF 19, PF 20 / PF_SF 21, WH 22–23 (acc32) / WH_SF 24. A scale factor is an
/// int16 power of ten the device may change at run time, so it is read with its value every poll.
public enum SunSpecInverterPoints {
    public struct Point: Sendable, Hashable {
        public var tag: String
        public var offset: Int
        public var type: ValueType
        public var scaleFactorOffset: Int
        public var unit: String
        public var kind: TagKind
    }

    public static let modelIDs = 101...103

    public static let points: [Point] = [
        Point(tag: "ac_current", offset: 0, type: .uint16, scaleFactorOffset: 4, unit: "A", kind: .gauge),
        Point(tag: "ac_voltage_an", offset: 8, type: .uint16, scaleFactorOffset: 11, unit: "V", kind: .gauge),
        Point(tag: "ac_power", offset: 12, type: .int16, scaleFactorOffset: 13, unit: "W", kind: .gauge),
        Point(tag: "ac_frequency", offset: 14, type: .uint16, scaleFactorOffset: 15, unit: "Hz", kind: .gauge),
        Point(tag: "ac_apparent_power", offset: 16, type: .int16, scaleFactorOffset: 17, unit: "VA", kind: .gauge),
        Point(tag: "ac_reactive_power", offset: 18, type: .int16, scaleFactorOffset: 19, unit: "var", kind: .gauge),
        Point(tag: "ac_power_factor", offset: 20, type: .int16, scaleFactorOffset: 21, unit: "%", kind: .gauge),
        Point(tag: "ac_energy", offset: 22, type: .uint32, scaleFactorOffset: 24, unit: "Wh", kind: .counter),
    ]

    /// The tags of an inverter model whose ID register is at `modelAddress` (holding registers, big-endian).
    public static func tags(modelAddress: Int) -> [TagConfig] {
        let data = modelAddress + 2
        return points.map { point in
            var tag = TagConfig(name: point.tag, register: RegisterAddress(table: .holding, address: data + point.offset),
                                type: point.type, order: .abcd, unit: point.unit, kind: point.kind)
            tag.scaleFactor = RegisterAddress(table: .holding, address: data + point.scaleFactorOffset)
            return tag
        }
    }

    /// The tags as `plantgate.yaml` lines under a device's `tags:`.
    public static func yaml(modelAddress: Int) -> String {
        tags(modelAddress: modelAddress).map { tag in
            let kind = tag.kind == .counter ? ", kind: counter" : ""
            return "  \(tag.name): {register: \"\(tag.register?.description ?? "")\", type: \(tag.type?.rawValue ?? ""), "
                + "scale_factor: \"\(tag.scaleFactor?.description ?? "")\", unit: \"\(tag.unit ?? "")\"\(kind)}"
        }.joined(separator: "\n")
    }
}
