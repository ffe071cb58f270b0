import CMosquitto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An MQTT failure: what was being done, a classified code, the raw code and a message for the technician.
public struct MQTTError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure, so callers can react (retry, stop, tell the operator).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notAuthorized = "not authorised"
            case badCredentials = "bad username or password"
            case identifierRejected = "client identifier rejected"
            case serverUnavailable = "broker unavailable"
            case unsupportedProtocolVersion = "protocol version not supported"
            case refused = "connection refused"
            case tls = "TLS failure"
            case noConnection = "no connection"
            case connectionLost = "connection lost"
            case sessionTakenOver = "session taken over"
            case payloadTooLarge = "payload too large"
            case protocolViolation = "protocol error"
            case invalidArgument = "invalid argument"
            case system = "system error"
            case hostLookup = "host lookup failed"
            case keepaliveTimeout = "keepalive timeout"
            case outOfMemory = "out of memory"
            case unknown = "unknown error"
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The broker refused CONNECT: not authorised (CONNACK 5 / reason 135 / 138).
        public static let notAuthorized = Code(.notAuthorized)
        /// The broker refused CONNECT: bad username or password (CONNACK 4 / reason 134).
        public static let badCredentials = Code(.badCredentials)
        /// The broker refused the client identifier (CONNACK 2 / reason 133).
        public static let identifierRejected = Code(.identifierRejected)
        /// The broker is unavailable or busy (CONNACK 3 / reason 136, 137).
        public static let serverUnavailable = Code(.serverUnavailable)
        /// The broker does not speak the requested MQTT version (CONNACK 1 / reason 132).
        public static let unsupportedProtocolVersion = Code(.unsupportedProtocolVersion)
        /// The broker refused CONNECT for another reason.
        public static let refused = Code(.refused)
        /// TLS setup or handshake failed.
        public static let tls = Code(.tls)
        /// Not connected; QoS 0 messages are lost, QoS 1/2 stay queued in libmosquitto.
        public static let noConnection = Code(.noConnection)
        /// The link to the broker broke.
        public static let connectionLost = Code(.connectionLost)
        /// Another client connected with the same client id and the broker closed this connection
        /// (MQTT 5 DISCONNECT reason 0x8E).
        public static let sessionTakenOver = Code(.sessionTakenOver)
        /// The payload exceeds what MQTT or the broker accepts.
        public static let payloadTooLarge = Code(.payloadTooLarge)
        /// The broker or client violated the protocol.
        public static let protocolViolation = Code(.protocolViolation)
        /// An option or argument was invalid (bad topic, unreadable file...).
        public static let invalidArgument = Code(.invalidArgument)
        /// A system call failed; `rawCode` is the errno.
        public static let system = Code(.system)
        /// The broker host name could not be resolved.
        public static let hostLookup = Code(.hostLookup)
        /// The broker did not answer within the keepalive.
        public static let keepaliveTimeout = Code(.keepaliveTimeout)
        /// Memory allocation failed.
        public static let outOfMemory = Code(.outOfMemory)
        /// Anything libmosquitto reports that has no class above.
        public static let unknown = Code(.unknown)

        public var description: String { base.rawValue }
    }

    /// Classified failure.
    public let code: Code
    /// What was being done, naming the broker or topic: `connect to mqtt://10.0.0.5:1883`.
    public let operation: String
    /// The raw number: a `mosq_err_t`, a CONNACK / MQTT 5 reason code, or an errno for `.system`.
    public let rawCode: Int32
    /// What went wrong and what to check, in words a technician understands.
    public let message: String

    /// Builds an error; prefer the factory functions that classify libmosquitto codes.
    public init(code: Code, operation: String, rawCode: Int32, message: String) {
        self.code = code
        self.operation = operation
        self.rawCode = rawCode
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }
}

extension MQTTError {
    /// Classifies a libmosquitto return code; `errno` must have been read right after the call.
    /// `tlsReason` is what OpenSSL said last (e.g. "certificate verify failed"), when it said something.
    static func mosquitto(_ rc: Int32, errno savedErrno: Int32, operation: String, tlsReason: String? = nil) -> MQTTError {
        let text = String(cString: mosquitto_strerror(rc))
        let openSSL = tlsReason.map { "\($0); " } ?? ""
        switch rc {
        case MOSQ_ERR_ERRNO.rawValue where savedErrno == EPROTO:
            // libmosquitto reports OpenSSL failures during I/O as errno EPROTO.
            return MQTTError(
                code: .tls, operation: operation, rawCode: savedErrno,
                message: "TLS failed during the session (\(openSSL)EPROTO); check that the CA file signed the broker's certificate "
                    + "and that the broker accepts the client certificate (require_certificate)")
        case MOSQ_ERR_ERRNO.rawValue:
            let reason = String(cString: strerror(savedErrno))
            return MQTTError(
                code: .system, operation: operation, rawCode: savedErrno,
                message: "\(reason) (errno \(savedErrno)); check that the broker is running and reachable on that host and port")
        case MOSQ_ERR_NO_CONN.rawValue:
            return MQTTError(
                code: .noConnection, operation: operation, rawCode: rc,
                message: "not connected to the broker (\(text)); the client reconnects on its own")
        case MOSQ_ERR_CONN_LOST.rawValue:
            return MQTTError(
                code: .connectionLost, operation: operation, rawCode: rc,
                message: "the connection to the broker was lost (\(text)); reconnecting with back-off")
        case MOSQ_ERR_KEEPALIVE.rawValue:
            return MQTTError(
                code: .keepaliveTimeout, operation: operation, rawCode: rc,
                message: "the broker stopped answering within the keepalive (\(text)); check the network path")
        case MOSQ_ERR_TLS.rawValue, MOSQ_ERR_TLS_HANDSHAKE.rawValue, MOSQ_ERR_OCSP.rawValue:
            return MQTTError(
                code: .tls, operation: operation, rawCode: rc,
                message: "TLS failed (\(openSSL)\(text)); check that the CA file signed the broker's certificate, that the "
                    + "certificate names the configured host, and the client certificate and key")
        case MOSQ_ERR_PAYLOAD_SIZE.rawValue, MOSQ_ERR_OVERSIZE_PACKET.rawValue:
            return MQTTError(
                code: .payloadTooLarge, operation: operation, rawCode: rc,
                message: "payload too large (\(text)); MQTT allows 256 MB and the broker may allow less (message_size_limit)")
        case MOSQ_ERR_PROTOCOL.rawValue, MOSQ_ERR_MALFORMED_PACKET.rawValue, MOSQ_ERR_DUPLICATE_PROPERTY.rawValue:
            return MQTTError(
                code: .protocolViolation, operation: operation, rawCode: rc,
                message: "MQTT protocol error (\(text)); check that the broker speaks the configured protocol version")
        case MOSQ_ERR_INVAL.rawValue, MOSQ_ERR_MALFORMED_UTF8.rawValue, MOSQ_ERR_NOT_SUPPORTED.rawValue:
            return MQTTError(
                code: .invalidArgument, operation: operation, rawCode: rc,
                message: "invalid argument (\(text)); check the topic, the client id and the file paths")
        case MOSQ_ERR_EAI.rawValue, MOSQ_ERR_LOOKUP.rawValue:
            return MQTTError(
                code: .hostLookup, operation: operation, rawCode: rc,
                message: "could not resolve the broker host name (\(text)); check the host name and DNS")
        case MOSQ_ERR_NOMEM.rawValue:
            return MQTTError(code: .outOfMemory, operation: operation, rawCode: rc, message: "out of memory (\(text))")
        case MOSQ_ERR_CONN_REFUSED.rawValue:
            return MQTTError(
                code: .refused, operation: operation, rawCode: rc,
                message: "the broker refused the connection (\(text)); the connect result names the reason")
        case MOSQ_ERR_AUTH.rawValue:
            return MQTTError(
                code: .notAuthorized, operation: operation, rawCode: rc,
                message: "not authorised (\(text)): check the username and password")
        case MOSQ_ERR_ACL_DENIED.rawValue:
            return MQTTError(
                code: .notAuthorized, operation: operation, rawCode: rc,
                message: "the broker's ACL denies this (\(text)); check the broker's acl_file for this user")
        default:
            return MQTTError(code: .unknown, operation: operation, rawCode: rc, message: text)
        }
    }

    /// Classifies the reason code of a DISCONNECT the broker sent (MQTT 5 only).
    static func brokerDisconnect(_ reason: Int32, options: MQTTClientOptions, endpoint: String? = nil) -> MQTTError {
        let operation = "connection to \(endpoint ?? options.endpoint) as '\(options.clientID)'"
        let text = String(cString: mosquitto_reason_string(reason))
        let hex = "0x" + String(reason, radix: 16, uppercase: true)
        if reason == 0x8E {
            return MQTTError(
                code: .sessionTakenOver, operation: operation, rawCode: reason,
                message: "the broker handed client id '\(options.clientID)' to another client (MQTT 5 reason \(hex) \"session taken over\"): "
                    + "another gateway or tool connects with the same client id; give each its own client id")
        }
        return MQTTError(
            code: .connectionLost, operation: operation, rawCode: reason,
            message: "the broker closed the connection (MQTT 5 reason \(hex) \"\(text)\"); reconnecting with back-off")
    }

    /// Classifies a CONNACK return code (MQTT 3.1.1) or CONNACK reason code (MQTT 5).
    static func connack(_ code: Int32, protocolVersion: MQTTProtocolVersion, options: MQTTClientOptions, endpoint: String? = nil) -> MQTTError {
        let operation = "connect to \(endpoint ?? options.endpoint) as '\(options.clientID)'"
        let text: String
        switch protocolVersion {
        case .v3_1_1: text = String(cString: mosquitto_connack_string(code))
        case .v5: text = String(cString: mosquitto_reason_string(code))
        }
        let user = options.credentials.map { "user '\($0.username)'" } ?? "no username"
        switch (protocolVersion, code) {
        case (.v3_1_1, 4), (.v5, 134):
            return MQTTError(
                code: .badCredentials, operation: operation, rawCode: code,
                message: "not authorised: bad username or password (\(user), CONNACK \(code) \"\(text)\"); "
                    + "check the username and password, and the broker's password file")
        case (.v3_1_1, 5), (.v5, 135), (.v5, 138):
            return MQTTError(
                code: .notAuthorized, operation: operation, rawCode: code,
                message: "not authorised (\(user), CONNACK \(code) \"\(text)\"); check the username and password, "
                    + "and that the broker allows this user (password file, allow_anonymous)")
        case (.v3_1_1, 2), (.v5, 133):
            return MQTTError(
                code: .identifierRejected, operation: operation, rawCode: code,
                message: "the broker rejected client id '\(options.clientID)' (CONNACK \(code) \"\(text)\"); "
                    + "use a non-empty, unique client id")
        case (.v3_1_1, 3), (.v5, 136), (.v5, 137):
            return MQTTError(
                code: .serverUnavailable, operation: operation, rawCode: code,
                message: "the broker is unavailable (CONNACK \(code) \"\(text)\"); retrying with back-off")
        case (.v3_1_1, 1), (.v5, 132):
            return MQTTError(
                code: .unsupportedProtocolVersion, operation: operation, rawCode: code,
                message: "the broker does not accept \(protocolVersion) (CONNACK \(code) \"\(text)\"); "
                    + "set the mqtt protocol version to one the broker supports")
        default:
            return MQTTError(
                code: .refused, operation: operation, rawCode: code,
                message: "the broker refused the connection (CONNACK \(code) \"\(text)\")")
        }
    }
}
