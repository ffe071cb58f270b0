import CMosquitto
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The closures a caller registers for one client's events. Each runs on libmosquitto's loop thread.
struct MQTTHandlers: Sendable {
    var onConnect: (@Sendable (MQTTConnectResult) -> Void)?
    var onDisconnect: (@Sendable (MQTTDisconnectReason) -> Void)?
    var onPublish: (@Sendable (MQTTMessageID) -> Void)?
    var onMessage: (@Sendable (MQTTMessage) -> Void)?
}

/// State the C callbacks reach through libmosquitto's userdata pointer (an `Unmanaged` reference).
///
/// Lives from `mosquitto_new` until after `mosquitto_loop_stop` and `mosquitto_destroy`, so no callback
/// can see it freed. Everything in it is immutable or lock-protected, hence `Sendable`.
final class MosquittoCallbackContext: Sendable {
    let options: MQTTClientOptions
    let handlers = Mutex(MQTTHandlers())
    let continuation: AsyncStream<MQTTEvent>.Continuation
    /// libmosquitto's loop thread, learnt from the first callback, so teardown can avoid joining it
    /// from itself.
    private let loopThread = Mutex<pthread_t?>(nil)

    init(options: MQTTClientOptions, continuation: AsyncStream<MQTTEvent>.Continuation) {
        self.options = options
        self.continuation = continuation
    }

    /// Feeds the event stream and calls the matching handler (outside the lock, so a handler may
    /// call back into the client, e.g. subscribe from `onConnect`).
    func deliver(_ event: MQTTEvent, fromLoopThread: Bool = true) {
        if fromLoopThread { loopThread.withLock { $0 = pthread_self() } }
        let handlers = self.handlers.withLock { $0 }
        continuation.yield(event)
        switch event {
        case .connected(let result): handlers.onConnect?(result)
        case .disconnected(let reason): handlers.onDisconnect?(reason)
        case .published(let mid): handlers.onPublish?(mid)
        case .message(let message): handlers.onMessage?(message)
        case .subscribed, .unsubscribed: break
        }
    }
}

extension MosquittoCallbackContext {
    /// Whether the caller runs on libmosquitto's loop thread (inside a handler).
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
        context.deliver(.connected(.accepted))
    } else {
        let options = context.options
        let error = MQTTError.connack(code, protocolVersion: options.protocolVersion, options: options)
        context.deliver(.connected(.refused(error)))
    }
}

fileprivate func handleDisconnect(_ mosq: OpaquePointer?, _ userdata: UnsafeMutableRawPointer?, _ rc: Int32) {
    let savedErrno = errnoValue()
    guard let context = context(userdata) else { return }
    if rc == 0 {
        context.deliver(.disconnected(.requested))
    } else {
        let error = MQTTError.mosquitto(rc, errno: savedErrno, operation: "connection to \(context.options.endpoint)")
        context.deliver(.disconnected(.lost(error)))
    }
}

fileprivate func handlePublish(_ mosq: OpaquePointer?, _ userdata: UnsafeMutableRawPointer?, _ mid: Int32) {
    context(userdata)?.deliver(.published(MQTTMessageID(rawValue: mid)))
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
    context.deliver(.message(received))
}

fileprivate func handleSubscribe(
    _ mosq: OpaquePointer?, _ userdata: UnsafeMutableRawPointer?, _ mid: Int32, _ count: Int32,
    _ granted: UnsafePointer<Int32>?
) {
    guard let context = context(userdata) else { return }
    let grantedQoS = granted.map { Array(UnsafeBufferPointer(start: $0, count: Int(max(0, count)))) } ?? []
    context.deliver(.subscribed(MQTTMessageID(rawValue: mid), grantedQoS: grantedQoS))
}

fileprivate func handleUnsubscribe(_ mosq: OpaquePointer?, _ userdata: UnsafeMutableRawPointer?, _ mid: Int32) {
    context(userdata)?.deliver(.unsubscribed(MQTTMessageID(rawValue: mid)))
}

/// Points every libmosquitto callback of `handle` at the free functions above.
func installCallbacks(on handle: OpaquePointer) {
    mosquitto_connect_callback_set(handle, handleConnect)
    mosquitto_disconnect_callback_set(handle, handleDisconnect)
    mosquitto_publish_callback_set(handle, handlePublish)
    mosquitto_message_callback_set(handle, handleMessage)
    mosquitto_subscribe_callback_set(handle, handleSubscribe)
    mosquitto_unsubscribe_callback_set(handle, handleUnsubscribe)
}
