/// Everything that can go wrong talking to a Modbus device, with a message for the person who must fix it.
public struct ModbusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; switch on it to decide retry, reconnect or give up.
    public enum Kind: Sendable, Hashable {
        /// Nobody listens at the address (TCP RST) or the serial device could not be opened.
        case connectionRefused
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

    public init(kind: Kind, target: String, operation: String, detail: String = "") {
        self.kind = kind
        self.target = target
        self.operation = operation
        self.detail = detail
    }

    /// Whether the connection should be dropped and reopened before the next request.
    public var requiresReconnect: Bool {
        switch kind {
        case .connectionRefused, .connectionLost, .system: true
        case .timeout, .exception, .unknownException, .garbled, .invalidRequest: false
        }
    }

    /// A short class name for error counters (`timeout`, `exception_02`, `garbled`, …).
    public var counterName: String {
        switch kind {
        case .connectionRefused: "refused"
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

    /// The failure and what to check, without the target.
    public var summary: String {
        switch kind {
        case .connectionRefused:
            "connection refused (\(detail)): check that the device or gateway is powered, the address/port or serial device is right, and nothing else holds the serial port"
        case .connectionLost:
            "connection lost (\(detail)): the device closed the link or the cable/adapter was removed; plantgate reconnects by itself"
        case .timeout:
            "no reply in time: check the unit id, wiring (A/B swapped?), baud rate and parity, or raise response_timeout"
        case .exception(let code):
            "device answered exception \(code.rawValue) (\(code.name)): \(code.hint)"
        case .unknownException:
            "device answered an undefined exception code (\(detail)): check the device's documentation"
        case .garbled(let how):
            "garbled reply (\(how.rawValue)): check for noise or termination on the RS-485 line, two masters on one bus, or a second device with the same unit id"
        case .invalidRequest:
            "invalid request (\(detail))"
        case .system(let errno):
            "system error \(errno) (\(detail))"
        }
    }
}
