import CMosquitto
import Dispatch
import Synchronization

/// One MQTT connection to one broker: the Swift face of a libmosquitto `struct mosquitto`.
///
/// ## Threading model
/// - `connect()` starts **libmosquitto's own loop thread** (`mosquitto_loop_start`, a pthread outside
///   Swift's cooperative pool). That thread does all network I/O, keepalive, resending of unacknowledged
///   QoS 1/2 messages, and reconnecting with the configured back-off after the link breaks.
/// - Every callback (`onConnect`, `onDisconnect`, `onPublish`, `onMessage`) and every `events` element is
///   produced **on that loop thread**. Handlers must be quick and must not block: hand the work to an
///   actor, a continuation or a lock-protected queue. Topic and payload are already copied.
/// - `publish`, `subscribe` and `unsubscribe` are thread-safe (libmosquitto locks internally once
///   `mosquitto_lib_init` has run) and do not block: they queue packets for the loop thread. They may
///   be called from any task, thread, or from inside a handler (e.g. subscribe in `onConnect`).
/// - `connect()` does not wait for the broker (`mosquitto_connect_async`); the answer arrives as
///   `onConnect`. With a host *name* it resolves DNS on the calling thread, so give an IP address or
///   call it off the cooperative pool if DNS may be slow.
/// - If that very first attempt fails at once (broker down), libmosquitto's loop thread would wait
///   forever for a first connection, so the client retries it with the same back-off from a Dispatch
///   global queue until one attempt gets going; after that the loop thread owns reconnecting.
/// - libmosquitto's loop thread gives up for good on errors it treats as fatal (TLS failure,
///   protocol error, an MQTT 5 CONNACK refusal). `onDisconnect` reports them; fix the cause, then
///   `disconnect()` and `connect()` again.
/// - `disconnect()` sends DISCONNECT, then joins the loop thread (`mosquitto_loop_stop`). It blocks
///   for milliseconds normally. **Never call it from a handler**: the loop thread would wait for itself.
/// - Handlers are kept by the client; capture the client `weak` inside them to avoid a retain cycle.
///
/// The class is `@unchecked Sendable` because its only non-Sendable state is the `OpaquePointer` to the
/// libmosquitto handle, which libmosquitto makes thread-safe after `mosquitto_lib_init`; the lifecycle
/// state is guarded by a `Mutex`.
public final class MQTTClient: @unchecked Sendable {
    /// The options this client was created with.
    public let options: MQTTClientOptions
    /// Every event as an async sequence (buffering the newest 1024), for tests and simple consumers.
    /// Only one task may iterate it. It finishes when the client is deallocated.
    public let events: AsyncStream<MQTTEvent>

    let handle: OpaquePointer
    private let context: MosquittoCallbackContext
    private let contextPointer: UnsafeMutableRawPointer
    private let lifecycle = Mutex(Lifecycle())

    private struct Lifecycle {
        enum Phase { case idle, running, stopped }
        var phase = Phase.idle
        /// The very first attempt failed at once (broker down, refused): libmosquitto's loop thread
        /// only takes over reconnecting after one attempt got going, so until then we retry ourselves.
        var retryingFirstConnection = false
    }

    /// Creates the libmosquitto handle and applies every option; does not connect yet.
    /// - Throws: `MQTTError` with `.invalidArgument` or `.tls` when an option is unusable (unreadable
    ///   CA file, certificate without key...), naming the option.
    public init(options: MQTTClientOptions) throws(MQTTError) {
        ensureMosquittoLibrary()
        let (stream, continuation) = AsyncStream.makeStream(of: MQTTEvent.self, bufferingPolicy: .bufferingNewest(1024))
        let context = MosquittoCallbackContext(options: options, continuation: continuation)
        let pointer = Unmanaged.passRetained(context).toOpaque()
        guard let handle = mosquitto_new(options.clientID, options.cleanSession, pointer) else {
            let savedErrno = errnoValue()
            Unmanaged<MosquittoCallbackContext>.fromOpaque(pointer).release()
            continuation.finish()
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
            continuation.finish()
            throw error
        }
        installCallbacks(on: handle)
        self.options = options
        self.events = stream
        self.handle = handle
        self.context = context
        self.contextPointer = pointer
    }

    deinit {
        let teardown = MosquittoTeardown(
            handle: handle, contextPointer: contextPointer, loopRunning: lifecycle.withLock { $0.phase == .running })
        if context.isOnLoopThread {
            // The last reference died inside a handler: joining the loop thread from itself would
            // fail and destroying the handle would pull it from under the running loop.
            DispatchQueue.global().async { teardown.run() }
        } else {
            teardown.run()
        }
    }

    // MARK: Handlers (set before `connect()`; each runs on libmosquitto's loop thread)

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

    // MARK: Connection

    /// Starts connecting in the background and starts libmosquitto's loop thread. Returns at once;
    /// the outcome arrives via `onConnect`. If the broker is not reachable yet, the client keeps trying
    /// with the configured back-off (a missing broker is normal operation), reported via `onDisconnect`.
    /// - Throws: `MQTTError` only for problems retrying cannot fix (invalid options, no thread).
    public func connect() throws(MQTTError) {
        let operation = "connect to \(options.endpoint) as '\(options.clientID)'"
        let (failure, awayError): (MQTTError?, MQTTError?) = lifecycle.withLock { state in
            guard state.phase != .running else { return (nil, nil) }
            let connect = mosquittoCall {
                mosquitto_connect_async(handle, options.host, Int32(clamping: options.port), Int32(clamping: options.keepaliveSeconds))
            }
            var awayError: MQTTError?
            if connect.rc != MOSQ_ERR_SUCCESS.rawValue {
                let error = MQTTError.mosquitto(connect.rc, errno: connect.errno, operation: operation)
                guard MQTTClient.isTransient(connect.rc) else { return (error, nil) }
                awayError = error
            }
            let loop = mosquittoCall { mosquitto_loop_start(handle) }
            guard loop.rc == MOSQ_ERR_SUCCESS.rawValue else {
                _ = mosquitto_disconnect(handle)
                let error = MQTTError.mosquitto(loop.rc, errno: loop.errno, operation: "start the MQTT loop thread for \(options.endpoint)")
                return (error, nil)
            }
            state.phase = .running
            state.retryingFirstConnection = awayError != nil
            return (nil, awayError)
        }
        if let failure { throw failure }
        if let awayError {
            // Reported outside the lock so a handler may call back into the client.
            context.deliver(.disconnected(.lost(awayError)), fromLoopThread: false)
            scheduleFirstConnectionRetry(attempt: 1)
        }
    }

    /// Failures of a connection attempt that a later attempt may not hit (broker down, network, DNS).
    private static func isTransient(_ rc: Int32) -> Bool {
        rc == MOSQ_ERR_ERRNO.rawValue || rc == MOSQ_ERR_EAI.rawValue || rc == MOSQ_ERR_CONN_LOST.rawValue
            || rc == MOSQ_ERR_NO_CONN.rawValue || rc == MOSQ_ERR_LOOKUP.rawValue
    }

    private func scheduleFirstConnectionRetry(attempt: Int) {
        let backoff = options.reconnect
        let initial = max(1, backoff.initialDelaySeconds)
        let delay = min(max(initial, backoff.maximumDelaySeconds), initial << min(attempt - 1, 16))
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(delay)) { [weak self] in
            self?.retryFirstConnection(attempt: attempt)
        }
    }

    private func retryFirstConnection(attempt: Int) {
        let failure: MQTTError? = lifecycle.withLock { state in
            guard state.phase == .running, state.retryingFirstConnection else { return nil }
            let result = mosquittoCall { mosquitto_reconnect_async(handle) }
            guard result.rc != MOSQ_ERR_SUCCESS.rawValue else {
                state.retryingFirstConnection = false  // the loop thread owns reconnecting from now on
                return nil
            }
            state.retryingFirstConnection = MQTTClient.isTransient(result.rc)
            return MQTTError.mosquitto(result.rc, errno: result.errno, operation: "connect to \(options.endpoint) as '\(options.clientID)'")
        }
        guard let failure else { return }
        context.deliver(.disconnected(.lost(failure)), fromLoopThread: false)
        if lifecycle.withLock({ $0.retryingFirstConnection }) {
            scheduleFirstConnectionRetry(attempt: attempt + 1)
        }
    }

    /// Sends DISCONNECT (so the broker does not publish the will), stops and joins the loop thread.
    /// Unacknowledged QoS 1/2 messages stay in memory and are resent if `connect()` is called again.
    /// Idempotent. Never call it from a handler (see the threading model above).
    public func disconnect() {
        lifecycle.withLock { state in
            guard state.phase == .running else { return }
            // Order matters: loop_stop(force: false) only returns once the loop sees the disconnect.
            _ = mosquitto_disconnect(handle)
            _ = mosquitto_loop_stop(handle, false)
            state.phase = .stopped
            state.retryingFirstConnection = false
        }
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
            let rc = mosquitto_will_clear(handle)
            guard rc == MOSQ_ERR_SUCCESS.rawValue else { throw MQTTError.mosquitto(rc, errno: errnoValue(), operation: operation) }
            return
        }
        guard let length = Int32(exactly: will.payload.count) else {
            throw MQTTError(code: .payloadTooLarge, operation: operation, rawCode: 0, message: "the last will payload is too large")
        }
        let rc = will.payload.withUnsafeBytes { bytes in
            mosquitto_will_set(handle, will.topic, length, bytes.baseAddress, will.qos.rawValue, will.retain)
        }
        guard rc == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError.mosquitto(rc, errno: errnoValue(), operation: operation + " on '\(will.topic)'")
        }
    }
}
