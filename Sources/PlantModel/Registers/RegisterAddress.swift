/// One of the four Modbus data tables plantgate reads (function codes 1–4; never a write).
public enum RegisterTable: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// FC01, one bit per address.
    case coil
    /// FC02, one bit per address.
    case discrete
    /// FC03, 16-bit words.
    case holding
    /// FC04, 16-bit words.
    case input

    /// The Modbus read function code for this table.
    public var functionCode: UInt8 {
        switch self {
        case .coil: 1
        case .discrete: 2
        case .holding: 3
        case .input: 4
        }
    }

    /// True for coils and discrete inputs, whose addresses hold single bits.
    public var isBitTable: Bool { self == .coil || self == .discrete }

    /// The most addresses one read request may cover (Modbus application protocol §6.1–6.4).
    public var maxPerRequest: Int { isBitTable ? 2000 : 125 }

    public static func < (lhs: RegisterTable, rhs: RegisterTable) -> Bool { lhs.functionCode < rhs.functionCode }
}

/// A 0-based PDU address in one table, written `holding:3059` in plantgate.yaml.
public struct RegisterAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var table: RegisterTable
    public var address: Int

    public init(table: RegisterTable, address: Int) {
        self.table = table
        self.address = address
    }

    /// Parses `holding:3059`; nil when the text is not `TABLE:ADDRESS` with ADDRESS in 0…65535.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let table = RegisterTable(rawValue: parts[0].lowercased()),
              let address = Int(parts[1]), (0...65535).contains(address) else { return nil }
        self.init(table: table, address: address)
    }

    public var description: String { "\(table.rawValue):\(address)" }

    public static func < (lhs: RegisterAddress, rhs: RegisterAddress) -> Bool {
        (lhs.table, lhs.address) < (rhs.table, rhs.address)
    }
}
