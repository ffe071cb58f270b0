import ControlProtocol
import POSIX
import PlantgateConsole
#if canImport(Glibc)
import Glibc
#endif

/// Why the daemon could not be asked, in words that say what to do.
struct ControlClientError: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// No socket, or nobody listening on it.
        case notRunning
        /// The socket exists but this user may not connect.
        case permissionDenied
        /// The daemon did not answer in time.
        case timedOut
        /// The daemon answered with a `ControlFailure`.
        case daemonFailure
        /// The answer was not what the control protocol says.
        case protocolError
        /// Any other operating-system error.
        case failed(errno: Int32)
    }

    var kind: Kind
    var socketPath: String
    var detail: String
    /// Where else to look, from how the socket path was chosen (`SocketLocation.hint`).
    var hint = ""

    init(kind: Kind, socketPath: String, detail: String) {
        self.kind = kind
        self.socketPath = socketPath
        self.detail = detail
    }

    /// Classifies a failed `connect()`.
    init(connectErrno code: Int32, socketPath: String) {
        let kind: Kind = switch code {
        case ENOENT, ECONNREFUSED, ENOTDIR: .notRunning
        case EACCES, EPERM: .permissionDenied
        default: .failed(errno: code)
        }
        self.init(kind: kind, socketPath: socketPath, detail: SystemCallError.reason(code))
    }

    var description: String {
        switch kind {
        case .notRunning:
            return "plantgated is not running (\(detail) on \(socketPath)): start it with systemctl start plantgated\(hint)"
        case .permissionDenied:
            return "permission denied on \(socketPath): add yourself to group plantgate (sudo usermod -aG plantgate $USER) and log in again"
        case .timedOut:
            return "plantgated did not answer on \(socketPath) in time (\(detail)): it may be overloaded or stuck; check journalctl -u plantgated"
        case .daemonFailure:
            return "plantgated could not answer: \(detail)"
        case .protocolError:
            return "unexpected answer on \(socketPath): \(detail); are plantgate and plantgated the same version?"
        case .failed:
            return "cannot talk to plantgated on \(socketPath): \(detail)"
        }
    }

    /// Every control-socket failure means the daemon is unavailable to this command.
    var status: Int32 { PlantgateExit.unavailable }
}
