import CModbus
import Glibc
import ModbusProtocol

extension ModbusError.Kind {
    /// Maps an errno left by libmodbus to what it means for the gateway.
    public init(errno code: Int32) {
        let base = Int32(cmodbus_enobase)
        switch code {
        case ETIMEDOUT, EAGAIN:
            self = .timeout
        case ECONNREFUSED:
            self = .connectionRefused
        case EHOSTUNREACH, ENETUNREACH:
            self = .unreachable
        case EACCES, EPERM:
            self = .permissionDenied
        case ENOENT:
            self = .noSuchDevice
        case ECONNRESET, EPIPE, EBADF, ENOTCONN, EIO, ENXIO, ENODEV, ESHUTDOWN:
            self = .connectionLost
        case Int32(cmodbus_embbadcrc):
            self = .garbled(.badCRC)
        case Int32(cmodbus_embbaddata):
            self = .garbled(.badData)
        case Int32(cmodbus_embbadexc):
            self = .garbled(.badException)
        case Int32(cmodbus_embmdata):
            self = .garbled(.tooMuchData)
        case Int32(cmodbus_embbadslave):
            self = .garbled(.wrongUnit)
        case (base + 1)...(base + 11):
            if let exception = ModbusException(rawValue: UInt8(code - base)) {
                self = .exception(exception)
            } else {
                self = .unknownException
            }
        case EINVAL:
            self = .invalidRequest
        default:
            self = code > base ? .unknownException : .system(errno: code)
        }
    }
}

/// libmodbus's own words for an errno.
func modbusDescription(of code: Int32) -> String {
    String(cString: modbus_strerror(code))
}
