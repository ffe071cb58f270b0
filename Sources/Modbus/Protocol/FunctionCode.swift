/// The four Modbus data tables plantgate reads, and the read function code of each.
///
/// There is deliberately no write function code here: plantgate only reads from plant devices.
public enum RegisterTable: String, Sendable, Hashable, CaseIterable, Codable {
    /// FC 1, read/write bits.
    case coil
    /// FC 2, read-only bits.
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

    /// Whether the table holds bits (coils, discrete inputs) rather than 16-bit registers.
    public var isBits: Bool { self == .coil || self == .discrete }

    /// The most items one request may read (Modbus application protocol v1.1b3 §6).
    public var maxCountPerRequest: Int { isBits ? 2000 : 125 }

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
}
