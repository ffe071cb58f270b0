import ModbusProtocol
extension MeterProfile {
    /// The profiles shipped with plantgate (registers are 0-based PDU addresses).
    public static let builtIn: [MeterProfile] = [schneiderPM5xxx, eastronSDM630, ehPromag, gasEK, beltScale, cathodeScale,
                                                 siemensPAC3200, siemensPAC4200, siemensMAG6000, siemensMASS6000, ewRectifier]

    static func float(_ name: String, _ table: RegisterTable, _ address: Int, _ unit: String?,
                              order: WordOrder = .abcd, kind: TagKind? = nil) -> TagConfig {
        TagConfig(name: name, register: RegisterAddress(table: table, address: address), type: .float32, order: order, unit: unit, kind: kind)
    }

    /// Schneider PowerLogic PM5xxx power meter (FC03, ABCD).
    static let schneiderPM5xxx = MeterProfile(name: "schneider-pm5xxx", summary: "Schneider PM5xxx power meter, FC03 holding, ABCD", tags: {
        let h = RegisterTable.holding
        var tags: [TagConfig] = [
            float("current_a", h, 2999, "A"), float("current_b", h, 3001, "A"), float("current_c", h, 3003, "A"),
            float("voltage_ab", h, 3019, "V"), float("voltage_bc", h, 3021, "V"), float("voltage_ca", h, 3023, "V"),
            float("voltage_an", h, 3027, "V"), float("voltage_bn", h, 3029, "V"), float("voltage_cn", h, 3031, "V"),
            float("power_a", h, 3053, "kW"), float("power_b", h, 3055, "kW"), float("power_c", h, 3057, "kW"),
            float("power_total", h, 3059, "kW"), float("reactive_power_total", h, 3067, "kvar"),
            float("apparent_power_total", h, 3075, "kVA"),
        ]
        var pf = float("power_factor", h, 3083, "1")
        pf.transform = .pf4q
        tags.append(pf)
        tags.append(float("frequency", h, 3109, "Hz"))
        tags.append(TagConfig(name: "energy_reset_time", register: RegisterAddress(table: h, address: 3199), type: .uint64, order: .abcd, unit: "1"))
        for (name, address, unit) in [("energy_import", 3203, "Wh"), ("energy_export", 3207, "Wh"), ("reactive_import", 3219, "varh")] {
            tags.append(TagConfig(name: name, register: RegisterAddress(table: h, address: address), type: .int64, order: .abcd,
                                  unit: unit, kind: .counter, resetMarker: "energy_reset_time"))
        }
        tags += [float("demand_last", h, 3763, "kW"), float("demand_present", h, 3765, "kW"), float("demand_peak", h, 3769, "kW")]
        return tags
    }())

    /// Eastron SDM630 power meter (FC04 input registers, float32 ABCD).
    static let eastronSDM630 = MeterProfile(name: "eastron-sdm630", summary: "Eastron SDM630 power meter, FC04 input, float32 ABCD", tags: {
        let i = RegisterTable.input
        return [
            float("voltage_l1", i, 0, "V"), float("voltage_l2", i, 2, "V"), float("voltage_l3", i, 4, "V"),
            float("current_l1", i, 6, "A"), float("current_l2", i, 8, "A"), float("current_l3", i, 10, "A"),
            float("power_l1", i, 12, "W"), float("power_l2", i, 14, "W"), float("power_l3", i, 16, "W"),
            float("power_total", i, 52, "W"), float("apparent_power_total", i, 56, "VA"),
            float("reactive_power_total", i, 60, "var"), float("power_factor", i, 62, "1"), float("frequency", i, 70, "Hz"),
            float("energy_import", i, 72, "kWh", kind: .counter), float("energy_export", i, 74, "kWh", kind: .counter),
            float("reactive_import", i, 76, "kvarh", kind: .counter),
        ]
    }())

    /// Endress+Hauser Promag electromagnetic flow meter (FC03, float32 CDAB).
    static let ehPromag = MeterProfile(name: "eh-promag", summary: "E+H Promag flow meter, FC03 holding, float32 CDAB", tags: {
        let h = RegisterTable.holding
        var total = float("volume_total", h, 2609, "m3", order: .cdab, kind: .counter)
        total.sumOf = 2
        return [
            float("volume_flow", h, 2008, "m3/h", order: .cdab),
            float("totalizer_sum", h, 2609, "m3", order: .cdab, kind: .counter),
            float("totalizer_overflow", h, 2611, "m3", order: .cdab),
            total,
            TagConfig(name: "system_condition", register: RegisterAddress(table: h, address: 6858), type: .int16, order: .abcd, unit: "1"),
        ]
    }())

    /// Gas volume corrector / flow computer (FC03, ABCD).
    static let gasEK = MeterProfile(name: "gas-ek", summary: "Gas volume corrector, FC03 holding, ABCD", tags: {
        let h = RegisterTable.holding
        return [
            float("flow_corrected", h, 0, "Nm3/h"),
            TagConfig(name: "volume_corrected", register: RegisterAddress(table: h, address: 2), type: .uint32, order: .abcd, unit: "Nm3", scale: 0.01, kind: .counter),
            TagConfig(name: "volume_uncorrected", register: RegisterAddress(table: h, address: 4), type: .uint32, order: .abcd, unit: "m3", scale: 0.01, kind: .counter),
            float("pressure", h, 6, "bar"), float("temperature", h, 8, "°C"),
        ]
    }())

    /// Belt weigh-scale / production counter (FC03, ABCD).
    static let beltScale = MeterProfile(name: "belt-scale", summary: "Belt weigh-scale, FC03 holding, ABCD", tags: {
        let h = RegisterTable.holding
        return [
            float("rate", h, 0, "t/h"),
            TagConfig(name: "total", register: RegisterAddress(table: h, address: 2), type: .uint32, order: .abcd, unit: "t", scale: 0.001, kind: .counter),
            float("speed", h, 4, "m/s"), float("load", h, 6, "kg/m"),
        ]
    }())

    /// The belt scale of an electrowinning tankhouse's stripped cathode, with the tankhouse PLC's count of
    /// completed harvests beside it (`electrowinning.harvests`).
    static let cathodeScale = MeterProfile(name: "cathode-scale", summary: "Cathode belt scale with harvest count, FC03 holding, ABCD", tags: {
        beltScale.tags + [TagConfig(name: "harvests", register: RegisterAddress(table: .holding, address: 8), type: .uint32, order: .abcd, unit: "1")]
    }())
}
