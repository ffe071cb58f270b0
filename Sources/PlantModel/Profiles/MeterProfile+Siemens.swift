import ModbusProtocol
extension MeterProfile {
    /// Siemens SENTRON PAC measured variables shared by PAC3200 and PAC4200: offsets 1–41, float32, high
    /// word first. The offsets are the addresses sent in the telegram (0-based PDU addresses).
    private static func sentronInstantaneous(_ table: RegisterTable) -> [TagConfig] {
        var tags: [TagConfig] = []
        for (index, phase) in ["a", "b", "c"].enumerated() {
            let step = 2 * index
            tags += [
                float("voltage_\(phase)n", table, 1 + step, "V"),
                float("current_\(phase)", table, 13 + step, "A"),
                float("apparent_power_\(phase)", table, 19 + step, "VA"),
                float("power_\(phase)", table, 25 + step, "W"),
                float("reactive_power_\(phase)", table, 31 + step, "var"),
                float("power_factor_\(phase)", table, 37 + step, "1"),
            ]
        }
        tags += [float("voltage_ab", table, 7, "V"), float("voltage_bc", table, 9, "V"), float("voltage_ca", table, 11, "V")]
        return tags.sorted { ($0.register?.address ?? 0) < ($1.register?.address ?? 0) }
    }

    /// Siemens SENTRON PAC3200 power monitoring device (FC03; FC04 answers the same offsets).
    ///
    /// Source: Siemens, "SENTRON PAC3200 Power Monitoring Device, Manual", A5E01168664B-04 (02/2008),
    /// §3.9.3 Table 3-6 "Available measured variables" (offsets 1–45, float, V/A/VA/W/var). Only the offsets
    /// read in that table are mapped; total power, frequency and the energy counters of this model were not
    /// found in the pages consulted and are left out (add them per site after `plantgate probe`).
    static let siemensPAC3200 = MeterProfile(name: "siemens-pac3200", summary: "Siemens SENTRON PAC3200, FC03 holding, float32 ABCD, per-phase values",
                                             tags: sentronInstantaneous(.holding))

    /// Siemens SENTRON PAC4200 power monitoring device (FC03; FC04 answers the same offsets).
    ///
    /// Sources: Siemens, "SENTRON PAC4200 Power Monitoring Device, System Manual", A5E02316180B-02 (09/2009),
    /// §A.3 Table A-1 "Measured variables available without a time stamp" (offsets 1–41, 55 line frequency);
    /// and "SENTRON PAC4200 Manual", A5E02316180B-01 (09/2008), §A.3.6 Table A-9 "tariff-specific energy values
    /// in double format" (801 active import T1, 809 active export T1, 817 reactive import T1: double, Wh/varh,
    /// overflow at 1.0e+12). Tariff 2 counters (805, 813, 821) run only while tariff 2 is active.
    static let siemensPAC4200 = MeterProfile(name: "siemens-pac4200", summary: "Siemens SENTRON PAC4200, FC03 holding, float32/float64 ABCD", tags: {
        let h = RegisterTable.holding
        var tags = sentronInstantaneous(h)
        tags.append(float("frequency", h, 55, "Hz"))
        for (name, address, unit) in [("energy_import", 801, "Wh"), ("energy_export", 809, "Wh"), ("reactive_import", 817, "varh")] {
            tags.append(TagConfig(name: name, register: RegisterAddress(table: h, address: address), type: .float64, order: .abcd,
                                  unit: unit, kind: .counter))
        }
        return tags
    }())

    /// Siemens SITRANS F M MAG 6000 electromagnetic flow meter with the Modbus RTU RS-485 module (FC03).
    ///
    /// Source: Siemens, "SITRANS F M MAG 6000 / MASS 6000 Modbus RTU RS-485", SFIDK.PS.023.D2.02, §6.1
    /// "Process data MAG" (register 4:03003 = address 3002 absolute volume flow, float, m3/s; 4:03015 = 3014
    /// totalizer 1, double, m3; 4:03019 = 3018 totalizer 2/batch, double, m3) and Appendix H "Float definition"
    /// (big-endian, most significant byte first; its FC03 example reads 4:03001 at address 0x0BB8 = 3000).
    static let siemensMAG6000 = MeterProfile(name: "siemens-mag6000", summary: "Siemens SITRANS F M MAG 6000 (Modbus RTU module), FC03 holding, ABCD", tags: {
        let h = RegisterTable.holding
        return [
            float("volume_flow", h, 3002, "m3/s"),
            TagConfig(name: "totalizer_1", register: RegisterAddress(table: h, address: 3014), type: .float64, order: .abcd, unit: "m3", kind: .counter),
            TagConfig(name: "totalizer_2", register: RegisterAddress(table: h, address: 3018), type: .float64, order: .abcd, unit: "m3", kind: .counter),
        ]
    }())

    /// Siemens SITRANS F C MASS 6000 Coriolis flow meter with the Modbus RTU RS-485 module (FC03).
    ///
    /// Source: the same Siemens document, SFIDK.PS.023.D2.02, §6.1 process data MASS (3000 absolute mass flow
    /// kg/s, 3002 absolute volume flow m3/s, 3004 density kg/m3, 3006 sensor temperature °C, all float;
    /// 3014 totalizer 1 and 3018 totalizer 2, double, "kg or m3") and Appendix H (big-endian). The totalizers'
    /// unit follows their selection (holding 2100/2102: 1 = mass flow, 4 = volume flow); this profile assumes
    /// both count mass (kg): override `unit` per device when a totalizer counts volume.
    static let siemensMASS6000 = MeterProfile(name: "siemens-mass6000", summary: "Siemens SITRANS F C MASS 6000 (Modbus RTU module), FC03 holding, ABCD", tags: {
        let h = RegisterTable.holding
        return [
            float("mass_flow", h, 3000, "kg/s"), float("volume_flow", h, 3002, "m3/s"),
            float("density", h, 3004, "kg/m3"), float("temperature", h, 3006, "°C"),
            TagConfig(name: "totalizer_1", register: RegisterAddress(table: h, address: 3014), type: .float64, order: .abcd, unit: "kg", kind: .counter),
            TagConfig(name: "totalizer_2", register: RegisterAddress(table: h, address: 3018), type: .float64, order: .abcd, unit: "kg", kind: .counter),
        ]
    }())
}
