import PlantModel

extension LineMetrics {
    /// Plausible current efficiency of copper and nickel tankhouses.
    static let plausibleEfficiency = 0.80...0.98
    /// Plausible DC kWh per tonne of copper cathode, checked only when the mean cell voltage is in
    /// `copperCellVoltage` (other voltages, e.g. nickel's ≈ 3.5 V, have other figures).
    static let plausibleCopperKWhPerTonne = 1_700.0...2_100.0
    static let copperCellVoltage = 1.9...2.1

    /// Electrowinning metrics of docs/metrics.md: charge, DC energy, cathode, current efficiency
    /// `CE = m / (N · Q · M / (z · F))`, mean cell voltage and DC kWh per tonne. Implausible values stay
    /// published, `uncertain` with reason IMPLAUSIBLE.
    func deriveElectrowinning(tally: ([Int]) -> Tally, emit: (String, String, MetricValue) -> Void) {
        guard let tankhouse = layout.electrowinning else { return }
        let s = settings
        let ampereHours = tally(layout.dcCurrent)
        let dcKWh = tally(layout.dcEnergy.isEmpty ? layout.dcVoltage : layout.dcEnergy)
        let cathode = tally(layout.cathodes)
        emit("ew_charge_kah", "kAh", ampereHours.scaled(0.001).value(s))
        emit("ew_dc_energy_kwh", "kWh", dcKWh.value(s))
        emit("ew_cathode_t", "t", cathode.value(s))
        let minimum = layout.product.minimumTonnes
        var efficiency = cathode.ratio(over: ampereHours.scaled(tankhouse.tonnesPerAmpereHour), minimum: minimum, s)
        Self.flag(&efficiency, outside: Self.plausibleEfficiency)
        emit("ew_current_efficiency", "1", efficiency)
        let cellVolts = dcKWh.ratio(over: ampereHours.scaled(Double(tankhouse.cells)), minimum: 1, scale: 1000, s)
        emit("ew_cell_voltage_v", "V", cellVolts)
        var perTonne = dcKWh.ratio(over: cathode, minimum: minimum, s)
        if let volts = cellVolts.value, Self.copperCellVoltage.contains(volts) {
            Self.flag(&perTonne, outside: Self.plausibleCopperKWhPerTonne)
        }
        emit("ew_dc_kwh_per_t", "kWh/t", perTonne)
    }

    static func flag(_ metric: inout MetricValue, outside range: ClosedRange<Double>) {
        guard let value = metric.value, !range.contains(value) else { return }
        metric.quality = max(metric.quality, .uncertain)
        metric.reasons.insert(.implausible)
    }
}
