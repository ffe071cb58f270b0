import Glibc

/// The Unix-domain socket calls plantgate makes by hand: the control socket (daemon and CLI) and the
/// `sd_notify` datagram. Every descriptor is opened close-on-exec; every send uses `MSG_NOSIGNAL`, so a
/// peer that went away is an error, never a SIGPIPE.
public enum UnixSocket {
    /// A stream or a datagram socket.
    public enum Kind: Sendable {
        case stream, datagram

        var type: Int32 {
            switch self {
            case .stream: Int32(SOCK_STREAM.rawValue)
            case .datagram: Int32(SOCK_DGRAM.rawValue)
            }
        }
    }

    /// A new socket; `nonBlocking` for poll loops.
    public static func open(_ kind: Kind, nonBlocking: Bool = false) throws(SystemCallError) -> Int32 {
        var type = kind.type | Int32(SOCK_CLOEXEC.rawValue)
        if nonBlocking { type |= Int32(SOCK_NONBLOCK.rawValue) }
        return try SystemCall.run("socket") { socket(AF_UNIX, type, 0) }
    }

    /// Connects `fd` to `address`.
    public static func connect(_ fd: Int32, to address: UnixSocketAddress) throws(SystemCallError) {
        try SystemCall.run("connect") { address.withSocketAddress { Glibc.connect(fd, $0, $1) } }
    }

    /// Binds `fd` to `address` and listens with room for `backlog` waiting clients.
    public static func listen(_ fd: Int32, at address: UnixSocketAddress, backlog: Int32) throws(SystemCallError) {
        try SystemCall.run("bind") { address.withSocketAddress { bind(fd, $0, $1) } }
        try SystemCall.run("listen") { Glibc.listen(fd, backlog) }
    }

    /// Makes blocking reads and writes on `fd` give up after `seconds` (they fail with `EAGAIN`).
    public static func setTimeouts(_ fd: Int32, seconds: Double) {
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends from `bytes[offset...]` what the socket takes now: the count sent, and the failure (nil when it
    /// worked; `wouldBlock` when a non-blocking socket takes nothing now).
    public static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, from offset: Int = 0) -> (count: Int, failure: SystemCallError?) {
        let (count, code) = SystemCall.attempt { Glibc.send(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
        return (count, code == 0 ? nil : SystemCallError(call: "send", code: code))
    }

    /// Sends all of `bytes`, as many calls as a blocking socket needs.
    public static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemCallError) {
        var sent = 0
        while sent < bytes.count {
            let (count, failure) = bytes.withUnsafeBytes { send(fd, $0, from: sent) }
            if let failure { throw failure }
            sent += count
        }
    }

    /// Sends `bytes` as one datagram to `address`; the count sent.
    public static func sendDatagram(_ fd: Int32, _ bytes: [UInt8], to address: UnixSocketAddress) throws(SystemCallError) -> Int {
        try SystemCall.run("sendto") {
            bytes.withUnsafeBytes { raw in
                address.withSocketAddress { sendto(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL), $0, $1) }
            }
        }
    }

    /// Reads what has arrived into `buffer`: the count (0 when the peer closed its side), and the failure
    /// (nil when it worked; `wouldBlock` when nothing came in time or a non-blocking socket has nothing yet).
    public static func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, failure: SystemCallError?) {
        let (count, code) = SystemCall.attempt { recv(fd, buffer.baseAddress, buffer.count, 0) }
        return (count, code == 0 ? nil : SystemCallError(call: "recv", code: code))
    }
}
