import Modbus

import ModbusProtocol
import Synchronization

/// A test meter: fixed register values per unit id; unknown registers answer "illegal data address",
/// unit ids not listed stay silent (the client times out), exception units answer every read with one.
final class TestDevice: ModbusRequestHandler {
    let registers: [Int: UInt16]
    let units: Set<UInt8>
    let exceptionUnits: [UInt8: ModbusException]
    private let seen = Mutex<[ModbusRequest]>([])

    init(units: Set<UInt8>, registers: [Int: UInt16] = [:], exceptionUnits: [UInt8: ModbusException] = [:]) {
        self.units = units
        self.registers = registers
        self.exceptionUnits = exceptionUnits
    }

    /// Every request received, in order.
    var requests: [ModbusRequest] { seen.withLock { $0 } }

    func reply(to request: ModbusRequest) -> ModbusReply {
        seen.withLock { $0.append(request) }
        if let exception = exceptionUnits[request.unit] { return .exception(exception) }
        guard units.contains(request.unit) else { return .silence }
        switch request.table {
        case .holding?, .input?:
            let addresses = Int(request.address)..<(Int(request.address) + Int(request.count))
            guard addresses.allSatisfy({ registers[$0] != nil }) else { return .exception(.illegalDataAddress) }
            return .registers(addresses.map { registers[$0] ?? 0 })
        case .coil?, .discrete?:
            return .bits((0..<Int(request.count)).map { _ in false })
        case nil:
            return .exception(.illegalFunction)
        }
    }
}
