/// A Modbus exception code sent by a device, by name (Modbus application protocol §7).
public enum ModbusException: UInt8, Sendable, Hashable, CaseIterable, Codable {
    case illegalFunction = 1
    case illegalDataAddress = 2
    case illegalDataValue = 3
    case serverDeviceFailure = 4
    case acknowledge = 5
    case serverDeviceBusy = 6
    case negativeAcknowledge = 7
    case memoryParityError = 8
    case gatewayPathUnavailable = 10
    case gatewayTargetFailedToRespond = 11

    /// Short name, as technicians and vendors' manuals say it.
    public var name: String {
        switch self {
        case .illegalFunction: "illegal function"
        case .illegalDataAddress: "illegal data address"
        case .illegalDataValue: "illegal data value"
        case .serverDeviceFailure: "server device failure"
        case .acknowledge: "acknowledge"
        case .serverDeviceBusy: "server device busy"
        case .negativeAcknowledge: "negative acknowledge"
        case .memoryParityError: "memory parity error"
        case .gatewayPathUnavailable: "gateway path unavailable"
        case .gatewayTargetFailedToRespond: "gateway target device failed to respond"
        }
    }

    /// What to check when a device sends this exception.
    public var hint: String {
        switch self {
        case .illegalFunction:
            "the device does not support this function code: try the other register table (holding vs input)"
        case .illegalDataAddress:
            "the register does not exist on this device: check the address (0-based PDU vs 1-based register number) and the count"
        case .illegalDataValue:
            "the device rejected the request's count or value: read fewer registers per request"
        case .serverDeviceFailure:
            "the device reported an internal failure: check the meter's own display and diagnostics"
        case .acknowledge, .serverDeviceBusy, .negativeAcknowledge:
            "the device is busy: poll it less often or add a request delay on its bus"
        case .memoryParityError:
            "the device reported a memory parity error: the meter needs service"
        case .gatewayPathUnavailable:
            "the Modbus gateway has no route to this unit id: check the gateway's serial port configuration"
        case .gatewayTargetFailedToRespond:
            "the Modbus gateway got no answer from the serial device: check the unit id, wiring, baud rate and parity behind the gateway"
        }
    }
}
