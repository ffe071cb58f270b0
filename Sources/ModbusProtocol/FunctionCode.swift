/// The four Modbus data tables plantgate reads, and the read function code of each.
///
/// There is deliberately no write function code here: plantgate only reads from plant devices.
public enum RegisterTable: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// FC 1, read/write bits, one per address.
    case coil
    /// FC 2, read-only bits, one per address.
    case discrete
    /// FC 3, read/write 16-bit registers.
    case holding
    /// FC 4, read-only 16-bit registers.
    case input

    /// The read function code for this table.
    public var functionCode: UInt8 {
        switch self {
        case .coil: 1
        case .discrete: 2
        case .holding: 3
        case .input: 4
        }
    }

    /// True for coils and discrete inputs, whose addresses hold single bits rather than 16-bit registers.
    public var isBitTable: Bool { self == .coil || self == .discrete }

    /// The most addresses one read request may cover (Modbus application protocol v1.1b3 §6.1–6.4).
    public var maxPerRequest: Int { isBitTable ? 2000 : 125 }

    /// The table a read function code addresses, or nil for any other function code.
    public init?(functionCode: UInt8) {
        switch functionCode {
        case 1: self = .coil
        case 2: self = .discrete
        case 3: self = .holding
        case 4: self = .input
        default: return nil
        }
    }

    public static func < (lhs: RegisterTable, rhs: RegisterTable) -> Bool { lhs.functionCode < rhs.functionCode }
}
