import CMosquitto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MQTTClient {
    /// Runs `body`, a run of `publish` calls, with the connection's socket corked, so the packets leave
    /// in as few TCP segments as fit when it returns instead of one segment (and one trip through the
    /// kernel's transmit path and the broker's read) each. Call it where a batch is at hand, e.g. for
    /// everything taken from a queue under one wake-up; each `publish` inside still returns at once.
    ///
    /// The cork covers the packets because libmosquitto runs unthreaded here (`MosquittoIOThread`): its
    /// `packet__queue` writes a packet on the publishing thread, inside `body`. A packet it cannot write
    /// then (socket buffer full, connection still being set up) is left to the network thread, which
    /// sends it when the socket allows, corked only if that is before `body` returns.
    ///
    /// Without a connection, or off Linux, it only runs `body`. The kernel sends corked data after
    /// 200 ms at the latest, so a `body` that blocks does not hold packets back for longer.
    public func publishingBatch<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        #if os(Linux)
        let socket = context.lock.run { mosquitto_socket(handle) }
        guard socket >= 0 else { return try body() }
        setCork(socket, on: true)
        // The network thread may have replaced the socket meanwhile; uncorking a socket that was never
        // corked is harmless, and a closed one fails quietly.
        defer { setCork(socket, on: false) }
        #endif
        return try body()
    }

    #if os(Linux)
    private func setCork(_ socket: Int32, on: Bool) {
        var value: Int32 = on ? 1 : 0
        _ = setsockopt(socket, Int32(IPPROTO_TCP), TCP_CORK, &value, socklen_t(MemoryLayout<Int32>.size))
    }
    #endif
}
