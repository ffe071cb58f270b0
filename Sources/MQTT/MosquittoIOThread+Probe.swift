#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MosquittoIOThread {
    /// Whether the first broker accepts a TCP connection within 500 ms: the cue to go back to it.
    /// A plain connect, closed at once, costs the broker nothing; a name is resolved here, so a
    /// literal address keeps this thread from waiting on DNS.
    func firstBrokerAnswers() -> Bool {
        let broker = brokers[0]
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(broker.host, String(broker.port), &hints, &found) == 0, let first = found else { return false }
        defer { freeaddrinfo(first) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            if connects(to: address.pointee, withinMilliseconds: 500) { return true }
            entry = address.pointee.ai_next
        }
        return false
    }

    private func connects(to address: addrinfo, withinMilliseconds timeout: Int32) -> Bool {
        let fd = socket(address.ai_family, address.ai_socktype, address.ai_protocol)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        if connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var fds = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)]
        guard poll(&fds, 1, timeout) > 0 else { return false }
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) == 0 && code == 0
    }
}
