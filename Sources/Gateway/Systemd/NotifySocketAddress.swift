import Glibc
import POSIX

/// A parsed `$NOTIFY_SOCKET`: the bytes that go into `sockaddr_un.sun_path` and the address length.
struct NotifySocketAddress: Sendable, Equatable {
    /// The raw environment value, kept for error messages.
    let raw: String
    /// `sun_path` content: a leading NUL for abstract names, a trailing NUL for paths.
    let pathBytes: [UInt8]

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
        guard bytes.count <= UnixSocketAddress.capacity else {
            throw SystemdNotifyError(code: .addressTooLong, socketAddress: raw)
        }
        self.pathBytes = bytes
    }

    /// Opens a datagram socket, sends `payload` to this address and closes the socket.
    func sendDatagram(_ payload: [UInt8]) throws(SystemdNotifyError) {
        guard let address = UnixSocketAddress(pathBytes: pathBytes) else {
            throw SystemdNotifyError(code: .addressTooLong, socketAddress: self.raw)
        }
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
