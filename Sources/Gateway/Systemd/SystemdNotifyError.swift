/// A failure to deliver a notification to systemd's `$NOTIFY_SOCKET`.
///
/// The daemon keeps running when a notification fails; the unit's `WatchdogSec=` or
/// `TimeoutStartSec=` is what eventually acts on a lost `READY=1` or `WATCHDOG=1`.
public struct SystemdNotifyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a value that can grow new cases without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case unsupportedAddress, addressTooLong, socketFailed, sendFailed, shortSend
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// `$NOTIFY_SOCKET` is neither an absolute path nor an abstract `@name`.
        public static let unsupportedAddress = Code(.unsupportedAddress)
        /// `$NOTIFY_SOCKET` does not fit in `sockaddr_un.sun_path` (108 bytes).
        public static let addressTooLong = Code(.addressTooLong)
        /// `socket(AF_UNIX, SOCK_DGRAM)` failed.
        public static let socketFailed = Code(.socketFailed)
        /// `sendto` failed; `errno` says why (ECONNREFUSED: nobody listens, EACCES: permissions).
        public static let sendFailed = Code(.sendFailed)
        /// `sendto` accepted fewer bytes than the datagram holds.
        public static let shortSend = Code(.shortSend)

        public var description: String {
            switch self.base {
            case .unsupportedAddress: "unsupported address"
            case .addressTooLong: "address too long"
            case .socketFailed: "socket failed"
            case .sendFailed: "send failed"
            case .shortSend: "short send"
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// The `$NOTIFY_SOCKET` value the notifier tried to reach.
    public let socketAddress: String
    /// The `errno` reported by the failing call, if any.
    public let errno: Int32?

    /// Creates an error for `socketAddress`.
    public init(code: Code, socketAddress: String, errno: Int32? = nil) {
        self.code = code
        self.socketAddress = socketAddress
        self.errno = errno
    }

    public var description: String {
        let detail = self.errno.map { " (errno \($0))" } ?? ""
        switch self.code {
        case .unsupportedAddress:
            return "NOTIFY_SOCKET=\(self.socketAddress) is not supported: expected an absolute path or '@abstract-name'"
        case .addressTooLong:
            return "NOTIFY_SOCKET=\(self.socketAddress) is longer than the 107 bytes a unix socket path can hold"
        case .socketFailed:
            return "cannot open a unix datagram socket to notify systemd\(detail); check the process fd limit"
        case .shortSend:
            return "systemd notification to \(self.socketAddress) was truncated"
        default:
            return "cannot notify systemd at NOTIFY_SOCKET=\(self.socketAddress)\(detail); "
                + "is the unit Type=notify with NotifyAccess=main, and is this the main process?"
        }
    }
}
