/// The Sparkplug B datatypes plantgate publishes: analog values, counters, flags and text.
public enum SparkplugDataType: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Analog values (power, flow, intensities): Sparkplug `Double` (10).
    case double
    /// Signed integral counts: Sparkplug `Int64` (4), also used for `bdSeq`.
    case int64
    /// Integral running counters that never go negative: Sparkplug `UInt64` (8).
    case uint64
    /// Flags such as `Node Control/Rebirth`: Sparkplug `Boolean` (11).
    case boolean
    /// Text such as a version: Sparkplug `String` (12).
    case string

    /// The `DataType` number carried in `Metric.datatype`.
    public var wireValue: UInt32 {
        switch self {
        case .int64: 4
        case .uint64: 8
        case .double: 10
        case .boolean: 11
        case .string: 12
        }
    }

    /// The name the specification uses, e.g. `Double`.
    public var description: String {
        switch self {
        case .double: "Double"
        case .int64: "Int64"
        case .uint64: "UInt64"
        case .boolean: "Boolean"
        case .string: "String"
        }
    }
}
