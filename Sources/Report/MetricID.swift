/// The metric ids the report reads (docs/metrics.md §2), in the plant's words.
public enum MetricID {
    public static let product = "product_t"
    public static let electricity = "electricity_import_kwh"
    public static let energyTotal = "energy_total_gj"
    public static let specificElectricity = "sec_electric_kwh_per_t"
    public static let specificEnergy = "sec_total_gj_per_t"
    public static let withdrawal = "water_withdrawal_m3"
    public static let discharge = "water_discharge_m3"
    public static let consumption = "water_consumption_m3"
    public static let recycled = "water_recycled_m3"
    public static let waterIntensity = "water_intensity_m3_per_t"
    public static let scope1 = "scope1_combustion_tco2e"
    public static let scope2Location = "scope2_lb_tco2e"
    public static let scope2Market = "scope2_mb_tco2e"
    public static let ghgIntensity = "ghg_intensity_kgco2e_per_t"
    public static let ghgIntensityMarket = "ghg_intensity_mb_kgco2e_per_t"

    /// Units whose totals add up across periods (every other metric is a ratio, a level or a peak).
    static let additiveUnits: Set<String> = ["kWh", "GJ", "m3", "tCO2e", "t", "t LCE", "Nm3", "kvarh"]

    /// Metrics whose coverage and estimated share describe a day (the inputs of energy, water, product).
    static let inputs = [electricity, energyTotal, withdrawal, discharge, recycled, product]
}
