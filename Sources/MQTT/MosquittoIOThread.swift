import CMosquitto
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one libmosquitto handle's network loop on a thread of our own, with libmosquitto in its
/// unthreaded mode.
///
/// Why not `mosquitto_loop_start`: in threaded mode a publish only queues the packet and wakes the
/// loop thread through a socket pair; that thread reads one wake-up byte, sends, and calls back, so
/// 10,000 messages/s cost some 30,000 syscalls and thousands of thread hand-offs a second.
/// Unthreaded, the publishing thread sends the packet itself (one `write`), and this thread only
/// wakes for what the broker sends (CONNACK, PUBACK, messages), for keepalive, for back-off and to
/// stop. libmosquitto still writes its wake-up byte to the socket pair on every publish; nobody
/// reads it, so once the pair's buffer is full those writes fail at once with EAGAIN.
///
/// This thread owns connecting: it retries after every failure (broker down, refused, TLS) with
/// the client's exponential back-off, reset by an accepted CONNACK, so a broker fixed later is
/// reached without a restart. `stop()` makes it send DISCONNECT and exit, then joins it.
final class MosquittoIOThread: @unchecked Sendable {
    private let handle: OpaquePointer
    let context: MosquittoCallbackContext
    private let backoff: MQTTReconnectBackoff
    let brokers: [MQTTBrokerAddress]
    private let keepaliveSeconds: Int32
    /// Whether to probe the first broker while on another, and go back once it answers.
    private let returnsToFirst: Bool
    var endpoint: String { context.currentEndpoint }
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let stopRequested = Atomic<Bool>(false)
    private var thread = pthread_t()

    /// Starts the thread. `connectPending` says whether `mosquitto_connect_async` got an attempt
    /// going; if not, the thread starts with a back-off wait and a retry.
    init?(handle: OpaquePointer, context: MosquittoCallbackContext, options: MQTTClientOptions, connectPending: Bool) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        self.handle = handle
        self.context = context
        self.backoff = options.reconnect
        self.brokers = options.brokers
        self.keepaliveSeconds = Int32(clamping: options.keepaliveSeconds)
        self.returnsToFirst = options.preferFirst && options.brokers.count > 1
        self.wakeRead = fds[0]
        self.wakeWrite = fds[1]
        let box = Unmanaged.passRetained(ThreadStart(owner: self, connectPending: connectPending))
        guard pthread_create(&thread, nil, { raw in
            let start = Unmanaged<ThreadStart>.fromOpaque(raw!).takeRetainedValue()
            start.owner.run(connectPending: start.connectPending)
            return nil
        }, box.toOpaque()) == 0 else {
            box.release()
            return nil  // deinit closes the pipe
        }
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Wakes the thread so it looks again at what libmosquitto wants to send (a publish found the
    /// socket buffer full, or was queued while a callback ran). Cheap; any thread.
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Sends DISCONNECT (so the broker keeps the will), lets it go out, then joins the thread.
    /// Never from the thread itself.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
        pthread_join(thread, nil)
    }

    private final class ThreadStart {
        let owner: MosquittoIOThread
        let connectPending: Bool
        init(owner: MosquittoIOThread, connectPending: Bool) {
            self.owner = owner
            self.connectPending = connectPending
        }
    }

    // MARK: The loop

    private func run(connectPending: Bool) {
        context.markLoopThread()
        let lock = context.lock
        let success = MOSQ_ERR_SUCCESS.rawValue
        var failures = connectPending ? 0 : 1
        var needsConnect = !connectPending
        var disconnectDeadline: UInt64?
        var returnTo: Int?  // the broker the next attempt goes to instead of the next in the list
        var nextProbe: UInt64?  // when to check again whether the first broker is back
        var returns = 0  // returns to the first broker since it last held the session; those that ended on another failed
        var fds = [pollfd(fd: -1, events: 0, revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        defer { context.deliverHeldBack() }
        while true {
            context.deliverHeldBack()
            if stopRequested.load(ordering: .acquiring), disconnectDeadline == nil {
                // Outside any callback, so libmosquitto writes DISCONNECT at once and closes the
                // socket; if the socket buffer is full it goes out below, within 2 s.
                _ = lock.run { mosquitto_disconnect(handle) }
                disconnectDeadline = monotonicMilliseconds() + 2_000
                continue
            }
            let socket = lock.run { mosquitto_socket(handle) }
            if let deadline = disconnectDeadline, socket < 0 || monotonicMilliseconds() > deadline { return }
            if needsConnect || socket < 0 {
                if disconnectDeadline != nil { return }
                if !needsConnect { failures = max(failures, 1) }
                needsConnect = true
                if !sleepInterruptibly(milliseconds: backoff.delayMilliseconds(afterFailures: failures)) { continue }
                context.tlsReason.withLock { $0 = nil }
                let broker = returnTo ?? (context.brokerIndex.load(ordering: .acquiring) + 1) % brokers.count
                returnTo = nil
                let attempt = attemptConnect(to: broker)
                context.attemptErrno.store(attempt.errno, ordering: .releasing)
                if attempt.rc == success {
                    needsConnect = false
                } else {
                    failures += 1
                    let error = MQTTError.mosquitto(attempt.rc, errno: attempt.errno, operation: "connect to \(endpoint)")
                    context.deliver(.disconnected(.lost(error)))
                }
                continue
            }
            fds[0] = pollfd(fd: socket, events: Int16(POLLIN) | (lock.run { mosquitto_want_write(handle) } ? Int16(POLLOUT) : 0), revents: 0)
            fds[1].revents = 0
            let ready = poll(&fds, 2, pollTimeout(nextProbe: nextProbe, disconnectDeadline: disconnectDeadline))
            if ready > 0, fds[1].revents != 0 { drainWakePipe() }
            let events = ready > 0 ? fds[0].revents : 0
            let connecting = !context.isConnected.load(ordering: .acquiring)
            if connecting, disconnectDeadline == nil, let refused = failedConnect(socket: socket, events: events) {
                context.deliver(.disconnected(.lost(refused)))
                needsConnect = true  // the next attempt closes this socket
                failures += 1
                continue
            }
            let lossesBefore = context.lossesRaised.load(ordering: .acquiring)
            let (rc, savedErrno) = lock.run { () -> (Int32, Int32) in
                var rc = success
                // While connecting, `loop_read` also drives the TLS handshake, which may wait on writability.
                if events & Int16(POLLIN | POLLERR | POLLHUP) != 0 || (connecting && events & Int16(POLLOUT) != 0) {
                    rc = mosquitto_loop_read(handle, 1)
                }
                if rc == success, mosquitto_want_write(handle) { rc = mosquitto_loop_write(handle, 1) }
                if rc == success { rc = mosquitto_loop_misc(handle) }
                return (rc, errnoValue())
            }
            if context.takeAcceptedConnect() {
                failures = 0
                let onFirst = context.brokerIndex.load(ordering: .acquiring) == 0
                // The probe only sees TCP: a first broker that accepts it but fails the session (its TLS
                // certificate, a refusal) would pull the gateway off a working broker every probe interval.
                if onFirst { returns = 0 }
                nextProbe = returnsToFirst && !onFirst ? monotonicMilliseconds() + probeDelay(afterFailedReturns: returns) : nil
            }
            if rc == success, disconnectDeadline == nil, let due = nextProbe, monotonicMilliseconds() >= due,
               context.isConnected.load(ordering: .acquiring) {
                if firstBrokerAnswers() {
                    // Closing the socket without DISCONNECT makes this broker publish the last will.
                    let leaving = MQTTError(code: .connectionLost, operation: "connection to \(endpoint)", rawCode: 0,
                                            message: "leaving for the first broker \(context.options.endpoint), which answers again")
                    context.raised(.disconnected(.lost(leaving)))
                    nextProbe = nil
                    returnTo = 0
                    returns += 1
                    needsConnect = true
                    continue
                }
                nextProbe = monotonicMilliseconds() + probeInterval
            }
            if rc != success, disconnectDeadline == nil, context.lossesRaised.load(ordering: .acquiring) == lossesBefore {
                // A failed TLS handshake closes the socket without calling `onDisconnect` (libmosquitto 2.0).
                let reason = context.tlsReason.withLock { $0 }
                context.deliver(.disconnected(.lost(MQTTError.mosquitto(rc, errno: savedErrno, operation: "connect to \(endpoint)", tlsReason: reason))))
            }
            if rc != success {
                // libmosquitto has closed the socket and reported the loss through `onDisconnect`.
                if disconnectDeadline != nil { return }
                needsConnect = true
                failures += 1  // reset by the next accepted CONNACK: a lost connection waits the initial delay
            }
        }
    }

    /// How long the loop may sleep with nothing to read or write. Connected: until `mosquitto_loop_misc`
    /// next has work, at most a quarter of the keepalive (it sends PINGREQ once the keepalive has passed
    /// since the last packet out, so the ping goes at most that late, well inside the broker's 1.5 ×
    /// keepalive, and a broker that stopped answering is noticed as late), or the probe of the first broker
    /// or the disconnect deadline if sooner. Connecting, 1 s. A fixed 1 s was one wake-up a second for nothing.
    private func pollTimeout(nextProbe: UInt64?, disconnectDeadline: UInt64?) -> Int32 {
        guard context.isConnected.load(ordering: .acquiring) else { return 1_000 }
        let keepalive: UInt64 = keepaliveSeconds > 0 ? UInt64(keepaliveSeconds) * 250 : 60_000
        let due = min(nextProbe ?? .max, disconnectDeadline ?? .max)
        guard due != .max else { return Int32(clamping: keepalive) }
        let now = monotonicMilliseconds()
        return Int32(clamping: min(keepalive, due > now ? due - now : 0))
    }

    /// Starts an attempt on broker `index`: with one broker libmosquitto's own reconnect, else a connect
    /// naming the broker (which also drops any socket still open, without DISCONNECT).
    private func attemptConnect(to index: Int) -> (rc: Int32, errno: Int32) {
        context.brokerIndex.store(index, ordering: .releasing)
        let broker = brokers[index]
        return context.lock.run {
            watchConnectFailures(on: handle, true)
            if brokers.count == 1 { return mosquittoCall { mosquitto_reconnect_async(handle) } }
            return mosquittoCall { mosquitto_connect_async(handle, broker.host, Int32(clamping: broker.port), keepaliveSeconds) }
        }
    }

    /// How often the first broker is checked while connected to another: the back-off cap, at least 1 s.
    private var probeInterval: UInt64 { UInt64(max(1_000, backoff.maximumDelayMilliseconds)) }

    /// After returns that failed, 1 min doubling up to 16 min (at least the probe interval).
    private func probeDelay(afterFailedReturns failed: Int) -> UInt64 {
        guard failed > 0 else { return probeInterval }
        return max(probeInterval, 60_000 << UInt64(min(failed - 1, 4)))
    }

    /// Waits on the wake pipe; `false` if woken early (by `stop()`).
    private func sleepInterruptibly(milliseconds: Int) -> Bool {
        guard milliseconds > 0 else { return true }
        let deadline = monotonicMilliseconds() + UInt64(milliseconds)
        while !stopRequested.load(ordering: .acquiring) {
            let now = monotonicMilliseconds()
            guard now < deadline else { return true }
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 1, Int32(clamping: deadline - now)) > 0 { drainWakePipe() }
        }
        return false
    }

    private func drainWakePipe() {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &buffer, { read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
    }

    private func monotonicMilliseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000 + UInt64(now.tv_nsec) / 1_000_000
    }
}
