import Modbus
import ModbusProtocol
import PlantgateConsole

extension ModbusError {
    /// The exit status a failed read implies: an exception proves a device is there (1), a request
    /// Modbus cannot express is a usage error (2), anything else means the device is unreachable (69).
    var exitStatus: Int32 {
        switch kind {
        case .exception, .unknownException: PlantgateExit.finding
        case .invalidRequest: PlantgateExit.usage
        case .connectionRefused, .hostNotFound, .unreachable, .permissionDenied, .noSuchDevice, .connectionLost, .timeout, .garbled, .system:
            PlantgateExit.unavailable
        }
    }

    /// Whether anything answered at all (an exception or a garbled reply is an answer).
    var deviceAnswered: Bool {
        switch kind {
        case .exception, .unknownException, .garbled: true
        default: false
        }
    }

    /// The exception a device sent, if it sent one.
    var exception: ModbusException? {
        if case .exception(let code) = kind { return code }
        return nil
    }
}
