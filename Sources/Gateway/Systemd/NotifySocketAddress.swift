import Glibc
import POSIX

/// A parsed `$NOTIFY_SOCKET`: the socket address it names.
struct NotifySocketAddress: Sendable {
    /// The raw environment value, kept for error messages.
    let raw: String
    let address: UnixSocketAddress

    init(parsing raw: String) throws(SystemdNotifyError) {
        self.raw = raw
        var bytes = Array(raw.utf8)
        switch bytes.first {
        case UInt8(ascii: "@"):
            // Abstract namespace: NUL first, and the length covers exactly the name (no trailing NUL).
            bytes[0] = 0
        case UInt8(ascii: "/"):
            bytes.append(0)
        default:
            throw SystemdNotifyError(code: .unsupportedAddress, socketAddress: raw)
        }
        guard let address = UnixSocketAddress(pathBytes: bytes) else {
            throw SystemdNotifyError(code: .addressTooLong, socketAddress: raw)
        }
        self.address = address
    }

    /// Opens a datagram socket, sends `payload` to this address and closes the socket.
    func sendDatagram(_ payload: [UInt8]) throws(SystemdNotifyError) {
        let fd: Int32
        do {
            fd = try UnixSocket.open(.datagram)
        } catch {
            throw SystemdNotifyError(code: .socketFailed, socketAddress: self.raw, errno: error.code)
        }
        defer { close(fd) }
        let sent: Int
        do {
            sent = try UnixSocket.sendDatagram(fd, payload, to: address)
        } catch {
            throw SystemdNotifyError(code: .sendFailed, socketAddress: self.raw, errno: error.code)
        }
        guard sent == payload.count else {
            throw SystemdNotifyError(code: .shortSend, socketAddress: self.raw)
        }
    }
}
