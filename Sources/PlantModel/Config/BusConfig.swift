import ModbusProtocol

/// `buses[]`: one Modbus TCP endpoint or one serial (RS-485) port, polled by one thread.
public struct BusConfig: Sendable, Hashable {
    public var id: String
    public var link: BusLink
    public var responseTimeout: Duration = .milliseconds(500)
    public var byteTimeout: Duration = .milliseconds(100)
    public var connectTimeout: Duration = .seconds(2)
    public var retries: Int = 1
    /// Pause before each request (some RS-485 devices need it).
    public var requestDelay: Duration = .zero
    /// Consecutive failed polls before a device is reported down.
    public var softErrors: Int = 2

    public init(id: String, link: BusLink) {
        self.id = id
        self.link = link
    }

    /// True for RTU over a serial port.
    public var isSerial: Bool {
        if case .serial = link { return true }
        return false
    }
}

/// How a bus reaches its devices.
public enum BusLink: Sendable, Hashable {
    case tcp(host: String, port: Int)
    case serial(SerialSettings)

    /// The Modbus endpoint this link reaches.
    public var endpoint: ModbusEndpoint {
        switch self {
        case .tcp(let host, let port): .tcp(host: host, port: port)
        case .serial(let serial): .rtu(serial)
        }
    }
}
