#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds free loopback ports for test servers.
public enum FreePort {
    /// A TCP port on 127.0.0.1 that was free a moment ago: binds port 0, reads what the kernel chose,
    /// closes. Another process may take it before the caller binds, so servers retry on a bind failure.
    public static func tcp() throws(TestSupportError) -> Int {
        let (fd, port) = try bindLoopback()
        close(fd)
        return port
    }

    /// A loopback port that refuses connections for as long as the result lives: it stays bound, never
    /// listens, so no other test's server takes it and no connection to it can pick it as its own source.
    public static func refusing() throws(TestSupportError) -> RefusingPort {
        let (fd, port) = try bindLoopback()
        return RefusingPort(fd: fd, port: port)
    }

    private static func bindLoopback() throws(TestSupportError) -> (fd: Int32, port: Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestSupportError("FreePort: socket() failed, errno \(errno)") }

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let failure = errno
            close(fd)
            throw TestSupportError("FreePort: bind(127.0.0.1:0) failed, errno \(failure)")
        }

        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let failure = errno
            close(fd)
            throw TestSupportError("FreePort: getsockname failed, errno \(failure)")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A free port whose successor nobody serves either (`plantgate sim` serves its second bus on PORT+1).
    public static func pair() throws(TestSupportError) -> Int {
        for _ in 0..<50 {
            let port = try tcp()
            if port < 65_000, !isAccepting(port + 1) { return port }
        }
        throw TestSupportError("FreePort: no two consecutive free loopback ports in 50 tries")
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` right now.
    public static func isAccepting(_ port: Int) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(clamping: port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return connected == 0
    }
}

/// A bound, never listening loopback port (`FreePort.refusing()`); closed when released.
public final class RefusingPort: Sendable {
    public let port: Int
    private let fd: Int32

    init(fd: Int32, port: Int) {
        self.fd = fd
        self.port = port
    }

    deinit { close(fd) }
}
