#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A parsed `$NOTIFY_SOCKET`: the bytes that go into `sockaddr_un.sun_path` and the address length.
struct NotifySocketAddress: Sendable, Equatable {
    /// The raw environment value, kept for error messages.
    let raw: String
    /// `sun_path` content: a leading NUL for abstract names, a trailing NUL for paths.
    let pathBytes: [UInt8]

    private static let sunPathCapacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)

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
        guard bytes.count <= Self.sunPathCapacity else {
            throw SystemdNotifyError(code: .addressTooLong, socketAddress: raw)
        }
        self.pathBytes = bytes
    }

    /// Opens a datagram socket, sends `payload` to this address and closes the socket.
    func sendDatagram(_ payload: [UInt8]) throws(SystemdNotifyError) {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw SystemdNotifyError(code: .socketFailed, socketAddress: self.raw, errno: errno)
        }
        defer { close(fd) }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
            for (index, byte) in self.pathBytes.enumerated() { sunPath[index] = byte }
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? MemoryLayout<sa_family_t>.size
        let length = socklen_t(pathOffset + self.pathBytes.count)

        var sent: Int
        var failure: Int32 = 0
        repeat {
            sent = payload.withUnsafeBytes { message in
                withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                        sendto(fd, message.baseAddress, message.count, Int32(MSG_NOSIGNAL), socketAddress, length)
                    }
                }
            }
            failure = sent < 0 ? errno : 0
        } while sent < 0 && failure == EINTR

        guard sent >= 0 else {
            throw SystemdNotifyError(code: .sendFailed, socketAddress: self.raw, errno: failure)
        }
        guard sent == payload.count else {
            throw SystemdNotifyError(code: .shortSend, socketAddress: self.raw)
        }
    }
}
