/// One typed metric value, as it travels in a Sparkplug B payload.
public enum SparkplugValue: Sendable, Hashable, CustomStringConvertible {
    /// An analog reading.
    case double(Double)
    /// A signed integral count.
    case int64(Int64)
    /// An unsigned integral counter.
    case uint64(UInt64)
    /// A flag.
    case boolean(Bool)
    /// Text.
    case string(String)

    /// The datatype this value needs in its metric definition.
    public var dataType: SparkplugDataType {
        switch self {
        case .double: .double
        case .int64: .int64
        case .uint64: .uint64
        case .boolean: .boolean
        case .string: .string
        }
    }

    public var description: String {
        switch self {
        case .double(let value): "\(value)"
        case .int64(let value): "\(value)"
        case .uint64(let value): "\(value)"
        case .boolean(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        }
    }

    /// `nil` for a NaN or infinite double: Sparkplug says "no value" with `is_null`, not with NaN.
    var publishable: SparkplugValue? {
        if case .double(let value) = self, !value.isFinite { return nil }
        return self
    }
}
