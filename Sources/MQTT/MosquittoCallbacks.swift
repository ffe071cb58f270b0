import CMosquitto
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The closures a caller registers for one client's events.
struct MQTTHandlers: Sendable {
    var onConnect: (@Sendable (MQTTConnectResult) -> Void)?
    var onDisconnect: (@Sendable (MQTTDisconnectReason) -> Void)?
    var onPublish: (@Sendable (MQTTMessageID) -> Void)?
    var onMessage: (@Sendable (MQTTMessage) -> Void)?
    var onSubscribe: (@Sendable (MQTTMessageID, [Int32]) -> Void)?
}

/// State the C callbacks reach through libmosquitto's userdata pointer (an `Unmanaged` reference).
///
/// Lives from `mosquitto_new` until after the network thread is joined and `mosquitto_destroy` ran,
/// so no callback can see it freed. Everything in it is immutable, atomic or lock-protected.
final class MosquittoCallbackContext: Sendable {
    let options: MQTTClientOptions
    let handlers = Mutex(MQTTHandlers())
    /// Every call into the handle runs under it.
    let lock = MosquittoLock()
    /// Set on CONNACK accepted, cleared when the connection ends.
    let isConnected = Atomic<Bool>(false)
    /// Connection ends libmosquitto reported, so the network thread can tell when it reported none.
    let lossesRaised = Atomic<Int>(0)
    /// Which of `options.brokers` the current (or last) attempt went to; set by the network thread.
    let brokerIndex = Atomic<Int>(0)
    private let acceptedSinceAsked = Atomic<Bool>(false)
    private let stream = Mutex<(AsyncStream<MQTTEvent>, AsyncStream<MQTTEvent>.Continuation)?>(nil)
    private let loopThread = Mutex<pthread_t?>(nil)
    /// Events raised on the network thread inside libmosquitto, delivered once it has left.
    private let heldBack = Mutex<[MQTTEvent]>([])
    /// The errno a connection attempt left behind (a TLS attempt can end "successfully" with the TCP
    /// connect refused underneath).
    let attemptErrno = Atomic<Int32>(0)
    /// What OpenSSL said last during the current connection attempt (libmosquitto only logs it).
    let tlsReason = Mutex<String?>(nil)

    init(options: MQTTClientOptions) {
        self.options = options
    }

    /// The endpoint of the broker the current (or last) attempt went to.
    var currentEndpoint: String { options.endpoint(ofBroker: brokerIndex.load(ordering: .acquiring)) }

    /// The event stream, made on first use (until then no event is buffered).
    var events: AsyncStream<MQTTEvent> {
        stream.withLock { stream in
            if let (events, _) = stream { return events }
            let made = AsyncStream.makeStream(of: MQTTEvent.self, bufferingPolicy: .bufferingNewest(1024))
            stream = made
            return made.stream
        }
    }

    /// Ends the event stream (the client is gone).
    func finishEvents() {
        stream.withLock { $0?.1.finish() }
    }

    /// An event from a libmosquitto callback. On the network thread it waits until that thread has
    /// left libmosquitto, so a handler never runs under libmosquitto's locks or `lock` (a handler
    /// that takes a lock another thread holds while publishing would otherwise deadlock). Elsewhere
    /// (a QoS 0 `onPublish` inside `publish`) it is delivered at once.
    func raised(_ event: MQTTEvent) {
        switch event {
        case .connected(.accepted):
            isConnected.store(true, ordering: .releasing)
            acceptedSinceAsked.store(true, ordering: .releasing)
        case .connected(.refused):
            isConnected.store(false, ordering: .releasing)
        case .disconnected:
            isConnected.store(false, ordering: .releasing)
            lossesRaised.add(1, ordering: .releasing)
        default:
            break
        }
        if isOnLoopThread {
            heldBack.withLock { $0.append(event) }
        } else {
            deliver(event)
        }
    }

    /// Delivers what the network thread held back, in order. Network thread only.
    func deliverHeldBack() {
        let events = heldBack.withLock { events -> [MQTTEvent] in
            guard !events.isEmpty else { return [] }
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
        for event in events { deliver(event) }
    }

    /// Whether a CONNACK was accepted since the last call (the network thread resets its back-off).
    func takeAcceptedConnect() -> Bool {
        acceptedSinceAsked.exchange(false, ordering: .acquiringAndReleasing)
    }

    /// Feeds the event stream and calls the matching handler (outside the handler lock, so a handler
    /// may call back into the client, e.g. subscribe from `onConnect`).
    func deliver(_ event: MQTTEvent) {
        stream.withLock { $0?.1 }?.yield(event)
        switch event {
        case .connected(let result): handlers.withLock { $0.onConnect }?(result)
        case .disconnected(let reason): handlers.withLock { $0.onDisconnect }?(reason)
        case .published(let mid): handlers.withLock { $0.onPublish }?(mid)
        case .message(let message): handlers.withLock { $0.onMessage }?(message)
        case .subscribed(let mid, let granted): handlers.withLock { $0.onSubscribe }?(mid, granted)
        case .unsubscribed: break
        }
    }

    /// Called first thing on the network thread.
    func markLoopThread() {
        loopThread.withLock { $0 = pthread_self() }
    }
}

extension MosquittoCallbackContext {
    /// Whether the caller runs on the network thread (inside a handler it delivers).
    var isOnLoopThread: Bool {
        loopThread.withLock { thread in thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
    }
}

// MARK: - C callbacks (file-private free functions: a C function pointer cannot capture context)

fileprivate func context(_ userdata: UnsafeMutableRawPointer?) -> MosquittoCallbackContext? {
    guard let userdata else { return nil }
    return Unmanaged<MosquittoCallbackContext>.fromOpaque(userdata).takeUnretainedValue()
}

fileprivate func handleConnect(_ mosq: OpaquePointer?, _ userdata: UnsafeMutableRawPointer?, _ code: Int32) {
    guard let context = context(userdata) else { return }
    if code == 0 {
        // Connected: no handshake to explain any more, and libmosquitto formats a log line per packet.
        if let mosq { watchConnectFailures(on: mosq, false) }
        context.raised(.connected(.accepted))
    } else {
        let options = context.options
        let error = MQTTError.connack(code, protocolVersion: options.protocolVersion, options: options, endpoint: context.currentEndpoint)
        context.raised(.connected(.refused(error)))
    }
}

fileprivate func handleDisconnect(_ mosq: OpaquePointer?, _ userdata: UnsafeMutableRawPointer?, _ rc: Int32) {
    let savedErrno = errnoValue()
    guard let context = context(userdata) else { return }
    if rc == 0 {
        context.raised(.disconnected(.requested))
    } else if rc >= 0x80, context.options.protocolVersion == .v5 {
        // MQTT 5: the broker sent DISCONNECT with this reason code (libmosquitto's own codes are < 0x80).
        context.raised(.disconnected(.lost(MQTTError.brokerDisconnect(rc, options: context.options, endpoint: context.currentEndpoint))))
    } else {
        let reason = context.tlsReason.withLock { $0 }
        let error = MQTTError.mosquitto(rc, errno: savedErrno, operation: "connection to \(context.currentEndpoint)", tlsReason: reason)
        context.raised(.disconnected(.lost(error)))
    }
}

fileprivate func handlePublish(_ mosq: OpaquePointer?, _ userdata: UnsafeMutableRawPointer?, _ mid: Int32) {
    context(userdata)?.raised(.published(MQTTMessageID(rawValue: mid)))
}

fileprivate func handleMessage(
    _ mosq: OpaquePointer?, _ userdata: UnsafeMutableRawPointer?, _ message: UnsafePointer<mosquitto_message>?
) {
    guard let context = context(userdata), let message, let topic = message.pointee.topic else { return }
    // libmosquitto frees the message when this returns: copy topic and payload now.
    let length = Int(max(0, message.pointee.payloadlen))
    let payload: [UInt8]
    if let bytes = message.pointee.payload, length > 0 {
        payload = Array(UnsafeRawBufferPointer(start: bytes, count: length))
    } else {
        payload = []
    }
    let received = MQTTMessage(
        topic: String(cString: topic),
        payload: payload,
        qos: MQTTQoS(rawValue: message.pointee.qos) ?? .atMostOnce,
        retain: message.pointee.retain)
    context.raised(.message(received))
}

fileprivate func handleSubscribe(
    _ mosq: OpaquePointer?, _ userdata: UnsafeMutableRawPointer?, _ mid: Int32, _ count: Int32,
    _ granted: UnsafePointer<Int32>?
) {
    guard let context = context(userdata) else { return }
    let grantedQoS = granted.map { Array(UnsafeBufferPointer(start: $0, count: Int(max(0, count)))) } ?? []
    context.raised(.subscribed(MQTTMessageID(rawValue: mid), grantedQoS: grantedQoS))
}

fileprivate func handleUnsubscribe(_ mosq: OpaquePointer?, _ userdata: UnsafeMutableRawPointer?, _ mid: Int32) {
    context(userdata)?.raised(.unsubscribed(MQTTMessageID(rawValue: mid)))
}

fileprivate func handleLog(_ mosq: OpaquePointer?, _ userdata: UnsafeMutableRawPointer?, _ level: Int32, _ text: UnsafePointer<CChar>?) {
    guard level == MOSQ_LOG_ERR, let text, let context = context(userdata) else { return }
    // "OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed": the last field is the reason.
    let line = String(cString: text)
    guard line.hasPrefix("OpenSSL Error"), let reason = line.split(separator: ":").last else { return }
    context.tlsReason.withLock { $0 = String(reason.drop(while: { $0 == " " })) }
}

/// Turns libmosquitto's log callback on while a connection is being set up (OpenSSL's reason for a
/// failed handshake is only logged) and off once connected (it would format a line for every packet).
/// Under the context's lock, or inside a libmosquitto callback.
func watchConnectFailures(on handle: OpaquePointer, _ on: Bool) {
    mosquitto_log_callback_set(handle, on ? handleLog : nil)
}

/// Points every libmosquitto callback of `handle` at the free functions above.
func installCallbacks(on handle: OpaquePointer) {
    mosquitto_connect_callback_set(handle, handleConnect)
    mosquitto_disconnect_callback_set(handle, handleDisconnect)
    mosquitto_publish_callback_set(handle, handlePublish)
    mosquitto_message_callback_set(handle, handleMessage)
    mosquitto_subscribe_callback_set(handle, handleSubscribe)
    mosquitto_unsubscribe_callback_set(handle, handleUnsubscribe)
    watchConnectFailures(on: handle, true)
}
