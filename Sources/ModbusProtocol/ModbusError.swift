/// Everything that can go wrong talking to a Modbus device, with a message for the person who must fix it.
public struct ModbusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; switch on it to decide retry, reconnect or give up.
    public enum Kind: Sendable, Hashable {
        /// Nobody listens at the address (TCP RST), or the serial device could not be opened for another reason.
        case connectionRefused
        /// The host name does not resolve (getaddrinfo failed); `detail` holds the resolver's words.
        case hostNotFound
        /// No route to the host, or a TCP connect that nobody answered (a black hole).
        case unreachable
        /// The serial device exists but this user may not open it (EACCES).
        case permissionDenied
        /// The serial device node does not exist (adapter unplugged or enumerated elsewhere).
        case noSuchDevice
        /// The link broke: reset, closed by the peer, serial device vanished.
        case connectionLost
        /// No (complete) reply within the response or byte timeout.
        case timeout
        /// The device answered with a Modbus exception.
        case exception(ModbusException)
        /// The device answered with an exception code that Modbus does not define.
        case unknownException
        /// A reply arrived but was not a valid answer to the request.
        case garbled(GarbledReply)
        /// The caller asked for something Modbus cannot do (count out of range, bad address).
        case invalidRequest
        /// Any other operating-system error.
        case system(errno: Int32)
    }

    /// How a reply was garbled.
    public enum GarbledReply: String, Sendable, Hashable {
        case badCRC = "bad CRC"
        case badData = "invalid data (wrong transaction id, function or byte count)"
        case badException = "invalid exception frame"
        case tooMuchData = "more data than requested"
        case wrongUnit = "reply from the wrong unit id"
    }

    public var kind: Kind
    /// The device, as a technician would name it: `tcp 127.0.0.1:1502 unit 1`.
    public var target: String
    /// What was being done: `read holding 3059+2`.
    public var operation: String
    /// The operating system's or libmodbus's own words, for the log.
    public var detail: String
    /// TCP or serial: decides which checks the hint names (a TCP error never talks about wiring, a serial one never about ports).
    public var transport: ModbusTransport
    /// The serial device path or the TCP host, for hints that name it.
    public var place: String

    public init(kind: Kind, target: String, operation: String, detail: String = "", transport: ModbusTransport = .tcp, place: String = "") {
        self.kind = kind
        self.target = target
        self.operation = operation
        self.detail = detail
        self.transport = transport
        self.place = place
    }

    /// An error about `endpoint`, with the transport and place its hint needs.
    public init(kind: Kind, endpoint: ModbusEndpoint, target: String? = nil, operation: String, detail: String = "") {
        self.init(kind: kind, target: target ?? endpoint.description, operation: operation, detail: detail,
                  transport: endpoint.transport, place: endpoint.place)
    }

    /// Whether the connection should be dropped and reopened before the next request.
    public var requiresReconnect: Bool {
        switch kind {
        case .connectionRefused, .hostNotFound, .unreachable, .permissionDenied, .noSuchDevice, .connectionLost, .system: true
        case .timeout, .exception, .unknownException, .garbled, .invalidRequest: false
        }
    }

    /// Whether the link itself could not be opened (nothing was asked of a device yet).
    public var isConnectFailure: Bool {
        switch kind {
        case .connectionRefused, .hostNotFound, .unreachable, .permissionDenied, .noSuchDevice: true
        default: false
        }
    }

    /// A short class name for error counters (`timeout`, `exception_02`, `garbled`, …).
    public var counterName: String {
        switch kind {
        case .connectionRefused: "refused"
        case .hostNotFound: "host_not_found"
        case .unreachable: "unreachable"
        case .permissionDenied: "permission_denied"
        case .noSuchDevice: "no_such_device"
        case .connectionLost: "connection_lost"
        case .timeout: "timeout"
        case .exception(let code): "exception_\(code.rawValue < 10 ? "0" : "")\(code.rawValue)"
        case .unknownException: "exception_unknown"
        case .garbled: "garbled"
        case .invalidRequest: "invalid_request"
        case .system: "system"
        }
    }

    public var description: String {
        "\(target): \(operation): \(summary)"
    }
}

/// How a Modbus link is carried.
public enum ModbusTransport: Sendable, Hashable {
    case tcp
    case serial
}
