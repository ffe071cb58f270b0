import ArgumentParser
import Modbus
import ModbusProtocol
import PlantModel

// Value types from the plant model and the Modbus layer, accepted on the command line with the names
// plantgate.yaml uses; each lists its values for help and shell completion.

extension ValueType: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension WordOrder: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}

extension SerialSettings.Parity: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "e", "even": self = .even
        case "o", "odd": self = .odd
        case "n", "none": self = .none
        default: return nil
        }
    }
}
