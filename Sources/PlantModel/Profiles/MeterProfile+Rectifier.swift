import ModbusProtocol

extension MeterProfile {
    /// An electrowinning rectifier's controller as a plant integrator maps it to Modbus (FC03, ABCD):
    /// DC current and voltage as floats, DC energy and charge as 32-bit counters. Not a manufacturer's
    /// map: rectifier PLCs have none in common; adjust the addresses with `tags:` overrides.
    static let ewRectifier = MeterProfile(name: "ew-rectifier", summary: "Electrowinning rectifier controller (integrator's map), FC03 holding, ABCD", tags: {
        let h = RegisterTable.holding
        return [
            float("dc_current", h, 0, "A"), float("dc_voltage", h, 2, "V"), float("dc_power", h, 4, "kW"),
            TagConfig(name: "dc_energy", register: RegisterAddress(table: h, address: 6), type: .uint32, order: .abcd, unit: "kWh", scale: 0.1, kind: .counter),
            TagConfig(name: "charge", register: RegisterAddress(table: h, address: 8), type: .uint32, order: .abcd, unit: "kAh", scale: 0.001, kind: .counter),
        ]
    }())
}
