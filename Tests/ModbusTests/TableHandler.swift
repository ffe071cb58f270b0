import Modbus
import ModbusProtocol
import Synchronization

/// A test device: registers whose value is 1000 + address (so every wrong value is visible), with an
/// optional fault for the next requests.
final class TableHandler: ModbusRequestHandler {
    let units: Set<UInt8>
    private let fault = Mutex<ModbusReply?>(nil)

    init(units: Set<UInt8> = [1]) { self.units = units }

    func setFault(_ reply: ModbusReply?) { fault.withLock { $0 = reply } }

    static func value(at address: Int) -> UInt16 { UInt16(truncatingIfNeeded: 1000 + address) }

    func reply(to request: ModbusRequest) -> ModbusReply {
        guard units.contains(request.unit) else { return .silence }
        let good: ModbusReply
        switch request.table {
        case .holding?, .input?:
            good = .registers((0..<Int(request.count)).map { Self.value(at: Int(request.address) + $0) })
        case .coil?, .discrete?:
            good = .bits((0..<Int(request.count)).map { (Int(request.address) + $0) % 3 == 0 })
        case nil:
            return .exception(.illegalFunction)
        }
        guard let fault = fault.withLock({ $0 }) else { return good }
        switch fault {
        case .garbled(let kind, _): return .garbled(kind, good)
        case .delayed(let seconds, _): return .delayed(seconds, good)
        case .trickled(let seconds, _): return .trickled(seconds, good)
        default: return fault
        }
    }
}
