import ModbusProtocol

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
