import Foundation
import Synchronization

/// Runs a `SparkplugNode` against an MQTT connection given as closures, so the daemon and the tests
/// wire the same logic to `MQTTClient` without this module importing it.
///
/// Every method is thread-safe: the node sits behind a `Mutex`, and the closures are called while it
/// is held so that publications leave in `seq` order. The closures must therefore be quick and must
/// not call back into the session (queueing a publication with libmosquitto is fine).
///
/// `bdSeq` belongs to the will of a connection: call `prepareConnection()` before every new MQTT
/// connection and set the returned NDEATH as that connection's will. If the MQTT client reconnects by
/// itself with the will it already has, the next NBIRTH carries that same `bdSeq`, so NBIRTH and the
/// broker's NDEATH still match.
public final class SparkplugSession: Sendable {
    /// Sends one message (libmosquitto queues it; a failure is the closure's to log).
    public typealias Publish = @Sendable (SparkplugMessage) -> Void
    /// Subscribes to one topic filter at QoS 1.
    public typealias Subscribe = @Sendable (String) -> Void

    let node: Mutex<SparkplugNode>
    let clock: @Sendable () -> UInt64
    let publish: Publish
    private let subscribe: Subscribe

    /// A session around `node`.
    /// - Parameters:
    ///   - clock: milliseconds since the Unix epoch; injected so tests control payload timestamps.
    public init(
        node: SparkplugNode, clock: @escaping @Sendable () -> UInt64 = SparkplugSession.wallClockMs,
        publish: @escaping Publish, subscribe: @escaping Subscribe
    ) {
        self.node = Mutex(node)
        self.clock = clock
        self.publish = publish
        self.subscribe = subscribe
    }

    /// The system clock in milliseconds since the Unix epoch.
    public static let wallClockMs: @Sendable () -> UInt64 = { UInt64(max(0, Date().timeIntervalSince1970 * 1000)) }

    /// Advances `bdSeq` and returns the NDEATH to set as the will of the next MQTT connection.
    /// Persist `birthDeathSequence` afterwards.
    public func prepareConnection() -> SparkplugMessage {
        node.withLock { $0.prepareConnection(at: clock()) }
    }

    /// The `bdSeq` of the current will, to persist.
    public var birthDeathSequence: UInt8? { node.withLock { $0.birthDeathSequence } }

    /// Whether NBIRTH has been published on the current connection.
    public var isBorn: Bool { node.withLock { $0.isBorn } }

    /// Call on CONNACK: subscribes to commands and STATE, then publishes the births if allowed.
    public func connected() {
        node.withLock { node in
            node.subscriptions.forEach(subscribe)
            node.connected(at: clock()).forEach(publish)
        }
    }

    /// The first values are in: publishes the births that waited for them (see `SparkplugNode.valuesArrived`).
    public func valuesArrived() {
        node.withLock { node in node.valuesArrived(at: clock()).forEach(publish) }
    }

    /// What `plantgate status` shows of the session: born, bdSeq, primary host state.
    public var state: (born: Bool, birthDeathSequence: UInt8?, primaryHostOnline: Bool?, awaitsFirstValues: Bool) {
        node.withLock { ($0.isBorn, $0.birthDeathSequence, $0.isPrimaryHostOnline, $0.awaitsFirstValues) }
    }

    /// Call when the connection is lost or closed.
    public func disconnected() {
        node.withLock { $0.disconnected() }
    }

    /// Handles a received message and publishes what it calls for (rebirth, births, or the NDEATH
    /// when the primary host went offline). Returns the reaction so the caller can log a refusal
    /// and, on `.hostOffline`, disconnect and reconnect later.
    @discardableResult
    public func received(topic: String, payload: [UInt8]) -> SparkplugReaction {
        node.withLock { node in
            let reaction = node.received(topic: topic, payload: payload, at: clock())
            switch reaction {
            case .rebirth(let messages), .hostOnline(let messages): messages.forEach(publish)
            case .hostOffline(let death): publish(death)
            case .refused, .ignored: break
            }
            return reaction
        }
    }

    /// Publishes NDATA for changed node metrics (see `SparkplugNode.nodeData`).
    public func nodeData(_ updates: [SparkplugValueUpdate]) throws(SparkplugError) {
        try run { node, now throws(SparkplugError) in try node.nodeData(updates, at: now) }
    }

    /// Publishes DDATA for changed metrics of one device (see `SparkplugNode.deviceData`).
    public func deviceData(_ deviceID: String, _ updates: [SparkplugValueUpdate]) throws(SparkplugError) {
        try run { node, now throws(SparkplugError) in try node.deviceData(deviceID, updates, at: now) }
    }

    /// Publishes replayed values flagged historical (see `SparkplugNode.historicalDeviceData`).
    public func historicalDeviceData(_ deviceID: String, _ updates: [SparkplugValueUpdate]) throws(SparkplugError) {
        try run { node, now throws(SparkplugError) in try node.historicalDeviceData(deviceID, updates, at: now) }
    }

    /// Publishes DDEATH for a device that went down.
    public func deviceDown(_ deviceID: String) throws(SparkplugError) {
        try run { node, now throws(SparkplugError) in try node.deviceDown(deviceID, at: now) }
    }

    /// Publishes DBIRTH for a device that came back.
    public func deviceUp(_ deviceID: String) throws(SparkplugError) {
        try run { node, now throws(SparkplugError) in try node.deviceUp(deviceID, at: now) }
    }

    /// The NDEATH to publish before a deliberate disconnect (the broker sends the will only on a crash).
    public func death() -> SparkplugMessage {
        node.withLock { $0.death(at: clock()) }
    }

    private func run(_ body: (inout SparkplugNode, UInt64) throws(SparkplugError) -> [SparkplugMessage]) throws(SparkplugError) {
        let failure: SparkplugError? = node.withLock { node in
            do throws(SparkplugError) {
                try body(&node, clock()).forEach(publish)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }
}
