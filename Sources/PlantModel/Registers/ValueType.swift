/// How the words (or bit) at a tag's address are interpreted.
public enum ValueType: String, Sendable, Hashable, CaseIterable, Codable {
    /// A coil or discrete input; on a register table, non-zero is true.
    case bool
    case int16, uint16, int32, uint32, int64, uint64, float32, float64
    /// A bit field of one register: `bit: N` or `bits: "4-7"`.
    case bits
    /// ASCII text, two characters per register, `length` registers.
    case string

    /// Registers one value occupies (strings: per `length`; bits and bool: one).
    public var registerWidth: Int {
        switch self {
        case .bool, .int16, .uint16, .bits, .string: 1
        case .int32, .uint32, .float32: 2
        case .int64, .uint64, .float64: 4
        }
    }

    /// The wrap value of an unsigned raw counter of this type, before scale; nil when it does not wrap
    /// in practice (signed, 64-bit or float).
    public var counterModulus: Double? {
        switch self {
        case .uint16: 65_536
        case .uint32: 4_294_967_296
        default: nil
        }
    }

    /// Whether word order applies (multi-register numeric types, and byte swap for 16-bit ones).
    public var isNumeric: Bool { self != .bool && self != .bits && self != .string }
}

/// Word and byte order of a multi-register value: letters name bytes, A the most significant.
///
/// ABCD: high word first, big-endian bytes (the Modbus norm). CDAB: low word first ("word swap").
/// BADC: high word first, bytes swapped in each word. DCBA: fully little-endian.
/// For 64-bit values the same rule extends to four words; 16-bit values only see the byte swap.
public enum WordOrder: String, Sendable, Hashable, CaseIterable, Codable {
    case abcd = "ABCD", cdab = "CDAB", badc = "BADC", dcba = "DCBA"

    /// The least significant word comes first on the wire.
    public var lowWordFirst: Bool { self == .cdab || self == .dcba }
    /// The two bytes of each word are swapped.
    public var swapsBytes: Bool { self == .badc || self == .dcba }
}
