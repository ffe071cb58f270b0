import Modbus
import ModbusProtocol

/// Error counts of one device by class, in fixed storage (no dictionary on the polling path).
public struct ErrorCounters: Sendable, Hashable {
    /// Slots: 0 timeout, 1 connection lost, 2 refused, 3 garbled, 4 invalid request, 5 system,
    /// 6 unknown exception, 7…17 exception codes 1…11, 18 host not found, 19 unreachable,
    /// 20 permission denied, 21 no such device.
    private var counts = [Int](repeating: 0, count: slotCount)

    public init() {}

    public mutating func record(_ kind: ModbusError.Kind) {
        counts[Self.slot(of: kind)] += 1
    }

    public var total: Int { counts.reduce(0, +) }

    /// Non-zero counts by class name (`timeout`, `exception_02`, …), for reports.
    public var byName: [String: Int] {
        var names: [String: Int] = [:]
        for (slot, count) in counts.enumerated() where count > 0 { names[Self.name(of: slot)] = count }
        return names
    }

    static let slotCount = 22

    static func slot(of kind: ModbusError.Kind) -> Int {
        switch kind {
        case .timeout: 0
        case .connectionLost: 1
        case .connectionRefused: 2
        case .garbled: 3
        case .invalidRequest: 4
        case .system: 5
        case .unknownException: 6
        case .exception(let code): 6 + Int(min(code.rawValue, 11))
        case .hostNotFound: 18
        case .unreachable: 19
        case .permissionDenied: 20
        case .noSuchDevice: 21
        }
    }

    static func name(of slot: Int) -> String {
        switch slot {
        case 0: "timeout"
        case 1: "connection_lost"
        case 2: "refused"
        case 3: "garbled"
        case 4: "invalid_request"
        case 5: "system"
        case 6: "exception_unknown"
        case 18: "host_not_found"
        case 19: "unreachable"
        case 20: "permission_denied"
        case 21: "no_such_device"
        default: "exception_\(slot - 6 < 10 ? "0" : "")\(slot - 6)"
        }
    }
}
