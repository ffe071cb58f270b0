import Modbus
import PlantModel

/// The two register-table enums name the same four tables; this is the one crossing between them.
enum TableCrossing {
    static func modbus(_ table: PlantModelTable) -> Modbus.RegisterTable {
        switch table {
        case .coil: .coil
        case .discrete: .discrete
        case .holding: .holding
        case .input: .input
        }
    }
}
