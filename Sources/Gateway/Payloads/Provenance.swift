import ModbusProtocol
import PlantModel

/// Where a raw value came from, for auditors: published as `"src"` on each raw value when
/// `mqtt.publish.provenance: true`. The JSON is built once per tag so publishing adds no work per sample.
public struct Provenance: Sendable, Hashable {
    /// The bus id (`mcc`).
    public let bus: String
    /// The Modbus unit id of the device.
    public let unit: Int
    /// The first register (0-based PDU address) of the value.
    public let register: Int
    /// The read function code (1, 2, 3 or 4).
    public let functionCode: Int
    /// `SourceRevision` of the config file the tag was defined in.
    public let configRevision: String
    /// `{"bus":"mcc","unit":1,"reg":3059,"fc":3,"rev":"…"}`.
    public let json: [UInt8]

    /// The provenance of one tag.
    public init(bus: String, unit: Int, register: Int, functionCode: Int, configRevision: String) {
        self.bus = bus
        self.unit = unit
        self.register = register
        self.functionCode = functionCode
        self.configRevision = configRevision
        var writer = JSONWriter(capacity: 96)
        writer.beginObject()
        writer.key("bus"); writer.string(bus)
        writer.key("unit"); writer.integer(Int64(unit))
        writer.key("reg"); writer.integer(Int64(register))
        writer.key("fc"); writer.integer(Int64(functionCode))
        writer.key("rev"); writer.string(configRevision)
        writer.endObject()
        json = writer.bytes
    }

    /// One entry per tag (indexed by `TagIndex`): nil everywhere unless `mqtt.publish.provenance` is on.
    public static func table(for plan: PlantPlan) -> [Provenance?] {
        guard plan.mqtt.publish.provenance else { return Array(repeating: nil, count: plan.tags.count) }
        var placement: [String: (bus: String, unit: Int)] = [:]
        for bus in plan.buses {
            for device in bus.devices { placement[device.device] = (bus.bus.id, device.unit) }
        }
        return plan.tags.map { tag in
            guard let place = placement[tag.device] else { return nil }
            return Provenance(bus: place.bus, unit: place.unit, register: tag.register.address,
                              functionCode: Int(tag.register.table.functionCode), configRevision: plan.revision)
        }
    }
}
