/// Where a Modbus device (or a gateway in front of several) is reached.
public enum ModbusEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Modbus TCP. `host` is a name (resolved on every connect), an IPv4 address or a bare IPv6 address (`::1`).
    case tcp(host: String, port: Int)
    /// Modbus RTU over a serial line (RS-485 adapter, or a pseudo-terminal in tests).
    case rtu(SerialSettings)

    public var description: String {
        switch self {
        case .tcp(let host, let port): "tcp \(host.contains(":") ? "[\(host)]" : host):\(port)"
        case .rtu(let serial): "rtu \(serial.device) \(serial.baud) \(serial.dataBits)\(serial.parity.rawValue)\(serial.stopBits)"
        }
    }
}

/// Serial (RS-485) line settings for Modbus RTU.
public struct SerialSettings: Sendable, Hashable {
    public enum Parity: String, Sendable, Hashable, CaseIterable, Codable {
        case none = "N", even = "E", odd = "O"
    }

    public var device: String
    public var baud: Int
    public var parity: Parity
    public var dataBits: Int
    public var stopBits: Int

    public init(device: String, baud: Int = 19200, parity: Parity = .even, dataBits: Int = 8, stopBits: Int = 1) {
        self.device = device
        self.baud = baud
        self.parity = parity
        self.dataBits = dataBits
        self.stopBits = stopBits
    }

    /// Bits on the wire per character: start, data, parity, stop.
    public var bitsPerCharacter: Int { 1 + dataBits + (parity == .none ? 0 : 1) + stopBits }

    /// Time to send one character, in seconds.
    public var characterTime: Double { Double(bitsPerCharacter) / Double(baud) }
}

/// Timeouts of one Modbus link, in seconds.
public struct ModbusTimeouts: Sendable, Hashable {
    /// How long to wait for the first byte of a reply (and for a TCP connect).
    public var response: Double
    /// How long to wait between two bytes of one reply (catches slow-loris and truncated frames).
    public var byte: Double

    public init(response: Double = 0.5, byte: Double = 0.1) {
        self.response = response
        self.byte = byte
    }
}
