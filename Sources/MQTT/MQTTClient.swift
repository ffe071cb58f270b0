import CMosquitto
import CMosquittoPair
import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One MQTT connection to one broker: the Swift face of a libmosquitto `struct mosquitto`.
///
/// ## Threading model
/// - `connect()` starts a **network thread** of the client's own (a pthread outside Swift's cooperative
///   pool) that drives libmosquitto in its unthreaded mode: it reads what the broker sends, keeps the
///   connection alive, and reconnects with the configured back-off after every failure (broker down,
///   refused, TLS), from the very first attempt on. See `MosquittoIOThread` for why.
/// - `publish`, `subscribe` and `unsubscribe` are thread-safe and never block on the network: the
///   calling thread writes the packet to the non-blocking socket itself (what does not fit is sent by
///   the network thread). Calls into libmosquitto are serialised by a lock.
/// - Handlers (`onConnect`, `onDisconnect`, `onPublish`, `onMessage`) and `events` run on the network
///   thread, after it has left libmosquitto, except `onPublish` for a **QoS 0** message: that one runs
///   on the publishing thread, inside `publish`, right after the packet was written. Handlers must be
///   quick and must not block: hand the work to an actor, a continuation or a lock-protected queue.
///   They may call `publish`, `subscribe` and `setWill`. Topic and payload are already copied.
/// - `connect()` does not wait for the broker (`mosquitto_connect_async`); the answer arrives as
///   `onConnect`. With a host *name* its first attempt resolves DNS on the calling thread, so give an
///   IP address or call it off the cooperative pool if DNS may be slow.
/// - `disconnect()` has the network thread send DISCONNECT, then joins it. It blocks for milliseconds
///   normally (at most about 2 s with a stalled socket). **Never call it from a handler.**
/// - Handlers are kept by the client; capture the client `weak` inside them to avoid a retain cycle.
///
/// The class is `@unchecked Sendable` because its only non-Sendable state is the `OpaquePointer` to the
/// libmosquitto handle, every use of which runs under the context's lock; the lifecycle state is
/// guarded by a `Mutex`.
public final class MQTTClient: @unchecked Sendable {
    /// The options this client was created with.
    public let options: MQTTClientOptions
    /// Every event as an async sequence (buffering the newest 1024), for tests and simple consumers.
    /// Recording starts at the first use, so ask for it before `connect()`; only one task may iterate
    /// it. It finishes when the client is deallocated.
    public var events: AsyncStream<MQTTEvent> { context.events }

    let handle: OpaquePointer
    let context: MosquittoCallbackContext
    private let contextPointer: UnsafeMutableRawPointer
    private let lifecycle = Mutex(Lifecycle())
    /// Whether libmosquitto kept its wake-up socket pair (see `plantgate_mosquitto_new_without_pair`):
    /// false where the process's link lets plantgate refuse it, saving a system call per publish.
    @_spi(Testing) public let hasWakeupPair: Bool

    private struct Lifecycle {
        /// Present between `connect()` and `disconnect()`.
        var network: MosquittoIOThread?
    }

    /// Creates the libmosquitto handle and applies every option; does not connect yet.
    /// - Throws: `MQTTError` with `.invalidArgument` or `.tls` when an option is unusable (unreadable
    ///   CA file, certificate without key...), naming the option.
    public init(options: MQTTClientOptions) throws(MQTTError) {
        ensureMosquittoLibrary()
        let context = MosquittoCallbackContext(options: options)
        let pointer = Unmanaged.passRetained(context).toOpaque()
        var pairRefused = false
        guard let handle = plantgate_mosquitto_new_without_pair(options.clientID, options.cleanSession, pointer, &pairRefused) else {
            let savedErrno = errnoValue()
            Unmanaged<MosquittoCallbackContext>.fromOpaque(pointer).release()
            throw MQTTError(
                code: savedErrno == EINVAL ? .invalidArgument : .outOfMemory,
                operation: "create MQTT client '\(options.clientID)'", rawCode: savedErrno,
                message: savedErrno == EINVAL
                    ? "an empty client id needs clean session: set a client id or enable clean session"
                    : "out of memory")
        }
        do {
            try MQTTClient.configure(handle, with: options)
        } catch {
            mosquitto_destroy(handle)
            Unmanaged<MosquittoCallbackContext>.fromOpaque(pointer).release()
            throw error
        }
        installCallbacks(on: handle)
        self.options = options
        self.handle = handle
        self.context = context
        self.contextPointer = pointer
        self.hasWakeupPair = !pairRefused
    }

    deinit {
        let teardown = MosquittoTeardown(
            handle: handle, contextPointer: contextPointer, network: lifecycle.withLock { $0.network })
        if context.isOnLoopThread {
            // The last reference died inside a handler: the network thread cannot join itself, and
            // destroying the handle would pull it from under the running loop.
            DispatchQueue.global().async { teardown.run() }
        } else {
            teardown.run()
        }
    }

    // MARK: Handlers (set before `connect()`; see the threading model for the thread each runs on)

    /// Called with the broker's answer to every CONNECT, including after each automatic reconnect.
    public func onConnect(_ handler: @escaping @Sendable (MQTTConnectResult) -> Void) {
        context.handlers.withLock { $0.onConnect = handler }
    }

    /// Called when the connection ends, on request or because it was lost.
    public func onDisconnect(_ handler: @escaping @Sendable (MQTTDisconnectReason) -> Void) {
        context.handlers.withLock { $0.onDisconnect = handler }
    }

    /// Called when the broker acknowledges a publication; the id equals the one `publish` returned.
    public func onPublish(_ handler: @escaping @Sendable (MQTTMessageID) -> Void) {
        context.handlers.withLock { $0.onPublish = handler }
    }

    /// Called for each message received on a subscription.
    public func onMessage(_ handler: @escaping @Sendable (MQTTMessage) -> Void) {
        context.handlers.withLock { $0.onMessage = handler }
    }

    /// Called with the broker's SUBACK: the id `subscribe` returned and the granted QoS per filter (128 = refused).
    public func onSubscribe(_ handler: @escaping @Sendable (MQTTMessageID, _ grantedQoS: [Int32]) -> Void) {
        context.handlers.withLock { $0.onSubscribe = handler }
    }

    // MARK: Connection

    /// `mqtt://host:port` of the broker the client is connected to, or last tried (with fallback brokers,
    /// the one failover moved to).
    public var currentEndpoint: String { context.currentEndpoint }

    /// The broker the client is connected to, or last tried.
    public var currentBroker: MQTTBrokerAddress {
        let brokers = options.brokers
        return brokers[context.brokerIndex.load(ordering: .acquiring) % brokers.count]
    }

    /// Starts connecting in the background and starts the network thread. Returns at once; the
    /// outcome arrives via `onConnect`. If the broker is not reachable yet, the client keeps trying
    /// with the configured back-off (a missing broker is normal operation), reported via `onDisconnect`.
    /// - Throws: `MQTTError` only for problems retrying cannot fix (invalid options, no thread).
    public func connect() throws(MQTTError) {
        let operation = "connect to \(options.endpoint) as '\(options.clientID)'"
        let outcome: Result<MQTTError?, MQTTError> = lifecycle.withLock { state in
            guard state.network == nil else { return .success(nil) }
            context.tlsReason.withLock { $0 = nil }
            let connect = context.lock.run {
                watchConnectFailures(on: handle, true)
                return mosquittoCall {
                    mosquitto_connect_async(handle, options.host, Int32(clamping: options.port), Int32(clamping: options.keepaliveSeconds))
                }
            }
            context.attemptErrno.store(connect.errno, ordering: .releasing)
            var awayError: MQTTError?
            if connect.rc != MOSQ_ERR_SUCCESS.rawValue {
                let error = MQTTError.mosquitto(connect.rc, errno: connect.errno, operation: operation, tlsReason: context.tlsReason.withLock { $0 })
                guard MQTTClient.isTransient(connect.rc) else { return .failure(error) }
                awayError = error
            }
            guard let network = MosquittoIOThread(handle: handle, context: context, options: options, connectPending: awayError == nil) else {
                let savedErrno = errnoValue()
                return .failure(MQTTError(
                    code: .system, operation: "start the MQTT network thread for \(options.endpoint)", rawCode: savedErrno,
                    message: String(cString: strerror(savedErrno))))
            }
            state.network = network
            return .success(awayError)
        }
        // Reported outside the lock so a handler may call back into the client.
        if let awayError = try outcome.get() { context.deliver(.disconnected(.lost(awayError))) }
    }

    /// Failures of a connection attempt that a later attempt may not hit (broker down, network, DNS, a
    /// handshake with a broker whose certificate is fixed later).
    private static func isTransient(_ rc: Int32) -> Bool {
        rc == MOSQ_ERR_ERRNO.rawValue || rc == MOSQ_ERR_EAI.rawValue || rc == MOSQ_ERR_CONN_LOST.rawValue
            || rc == MOSQ_ERR_NO_CONN.rawValue || rc == MOSQ_ERR_LOOKUP.rawValue || rc == MOSQ_ERR_TLS.rawValue
    }

    /// Sends DISCONNECT (so the broker does not publish the will), stops and joins the network thread.
    /// Unacknowledged QoS 1/2 messages stay in memory and are resent if `connect()` is called again.
    /// Idempotent. Never call it from a handler (see the threading model above).
    public func disconnect() {
        let network = lifecycle.withLock { state in
            defer { state.network = nil }
            return state.network
        }
        network?.stop()
    }

    /// Asks the network thread to send what libmosquitto still holds (the socket buffer was full, or
    /// the packet was queued inside a callback).
    func flushLater() {
        lifecycle.withLock { $0.network }?.wake()
    }
}

extension MQTTClient {
    /// Replaces (or, with `nil`, removes) the last will for the **next** CONNECT: an automatic
    /// reconnect or a later `connect()`. The broker keeps the will of the current connection.
    /// Safe from a handler (e.g. `onDisconnect`, before libmosquitto reconnects).
    /// - Throws: `MQTTError` when libmosquitto refuses the topic or the payload is too large.
    public func setWill(_ will: MQTTWill?) throws(MQTTError) {
        let operation = "set the last will of MQTT client '\(options.clientID)'"
        guard let will else {
            let rc = context.lock.run { mosquitto_will_clear(handle) }
            guard rc == MOSQ_ERR_SUCCESS.rawValue else { throw MQTTError.mosquitto(rc, errno: errnoValue(), operation: operation) }
            return
        }
        guard let length = Int32(exactly: will.payload.count) else {
            throw MQTTError(code: .payloadTooLarge, operation: operation, rawCode: 0, message: "the last will payload is too large")
        }
        let rc = will.payload.withUnsafeBytes { bytes in
            context.lock.run { mosquitto_will_set(handle, will.topic, length, bytes.baseAddress, will.qos.rawValue, will.retain) }
        }
        guard rc == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError.mosquitto(rc, errno: errnoValue(), operation: operation + " on '\(will.topic)'")
        }
    }
}
