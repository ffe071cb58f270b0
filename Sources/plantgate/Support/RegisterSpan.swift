import ModbusProtocol
import PlantModel

/// `--read TABLE:ADDRESS[:COUNT]`: which registers or bits a probe reads.
struct RegisterSpan: Sendable, Hashable, CustomStringConvertible {
    var table: RegisterTable
    var address: Int
    /// Nil when not given: the width of `--type`, else 1.
    var count: Int?

    /// Parses `holding:2008` or `holding:2008:2`; nil on any other shape.
    init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3,
              let start = RegisterAddress(parsing: parts[0] + ":" + parts[1]) else { return nil }
        table = start.table
        address = start.address
        if parts.count == 3 {
            guard let count = Int(parts[2]), count >= 1 else { return nil }
            self.count = count
        }
    }

    var description: String { "\(table.rawValue):\(address)" + (count.map { ":\($0)" } ?? "") }
}
