/// One metric as it is declared in a birth certificate: name, datatype and unit.
public struct SparkplugMetricDefinition: Sendable, Hashable {
    /// Metric name; `/` builds folders in the host (e.g. `energy/electricity_import_kwh`).
    public var name: String
    /// The datatype every value of this metric has.
    public var dataType: SparkplugDataType
    /// Engineering unit (`kW`, `kWh`, `m3/h`...), published as the `engUnit` property; `nil` for none.
    public var unit: String?

    /// A metric definition.
    public init(name: String, dataType: SparkplugDataType, unit: String? = nil) {
        self.name = name
        self.dataType = dataType
        self.unit = unit
    }
}
