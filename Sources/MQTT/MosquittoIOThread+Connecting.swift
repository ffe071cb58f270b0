import CMosquitto
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MosquittoIOThread {
    /// The TCP connect under an attempt failed (refused, unreachable): the error, or nil while it goes on.
    ///
    /// Needed for TLS: libmosquitto starts the handshake on a socket still connecting; when the connect
    /// fails, `SSL_connect` reports `SSL_ERROR_SYSCALL`, which libmosquitto takes for "try again", and it
    /// spins on the dead socket until the keepalive runs out: a closed port would show up late, as a
    /// keepalive timeout. A socket that hung up without ever having a peer never connected; why is in
    /// its pending error or, once a call has consumed that, in the errno the attempt left.
    func failedConnect(socket: Int32, events: Int16) -> MQTTError? {
        guard events & Int16(POLLERR | POLLHUP) != 0 else { return nil }
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(socket, SOL_SOCKET, SO_ERROR, &code, &length)
        if code == 0 {
            var peer = sockaddr_storage()
            var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let named = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(socket, $0, &peerLength) }
            }
            guard named != 0, errno == ENOTCONN else { return nil }
            let left = context.attemptErrno.load(ordering: .acquiring)
            code = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, ETIMEDOUT, ECONNRESET].contains(left) ? left : ENOTCONN
        }
        return MQTTError.mosquitto(MOSQ_ERR_ERRNO.rawValue, errno: code, operation: "connect to \(endpoint)")
    }
}
