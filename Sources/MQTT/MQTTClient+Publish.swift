import CMosquitto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MQTTClient {
    /// Queues one publication without copying the payload into an array (the hot path).
    ///
    /// Returns the message id; for QoS 1 and 2 the broker's acknowledgement arrives later as
    /// `onPublish` / `.published` with the same id. For QoS 1/2 a missing connection is **not** an
    /// error: libmosquitto keeps the message in memory and sends it after reconnecting, so the
    /// return value is not a loss signal, the acknowledgement is. QoS 0 without a connection throws
    /// `.noConnection` (the message is lost).
    /// - Parameters:
    ///   - topic: NUL-terminated topic, e.g. a `StaticString`'s `utf8Start` or a cached C string.
    ///   - payload: bytes to send; libmosquitto copies them before returning.
    @discardableResult
    public func publish(
        topic: UnsafePointer<CChar>, payload: UnsafeRawBufferPointer, qos: MQTTQoS = .atMostOnce, retain: Bool = false
    ) throws(MQTTError) -> MQTTMessageID {
        guard let length = Int32(exactly: payload.count) else {
            throw MQTTError(
                code: .payloadTooLarge, operation: "publish to '\(String(cString: topic))'", rawCode: MOSQ_ERR_PAYLOAD_SIZE.rawValue,
                message: "payload of \(payload.count) bytes exceeds MQTT's limit of 256 MB")
        }
        var mid: Int32 = 0
        let result = queueing { mosquitto_publish(handle, &mid, topic, length, payload.baseAddress, qos.rawValue, retain) }
        if result.rc == MOSQ_ERR_SUCCESS.rawValue || (result.rc == MOSQ_ERR_NO_CONN.rawValue && qos != .atMostOnce) {
            return MQTTMessageID(rawValue: mid)
        }
        throw MQTTError.mosquitto(result.rc, errno: result.errno, operation: "publish to '\(String(cString: topic))' on \(context.currentEndpoint)")
    }

    /// Queues one publication; see `publish(topic:payload:qos:retain:)` with a C-string topic.
    /// A native Swift `String` topic is passed to C without allocating.
    @discardableResult
    public func publish(
        topic: String, payload: UnsafeRawBufferPointer, qos: MQTTQoS = .atMostOnce, retain: Bool = false
    ) throws(MQTTError) -> MQTTMessageID {
        let outcome: Result<MQTTMessageID, MQTTError> = topic.withCString { cTopic in
            do throws(MQTTError) {
                return .success(try publish(topic: cTopic, payload: payload, qos: qos, retain: retain))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Queues one publication of a byte array; see `publish(topic:payload:qos:retain:)`.
    @discardableResult
    public func publish(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false) throws(MQTTError) -> MQTTMessageID {
        let outcome: Result<MQTTMessageID, MQTTError> = payload.withUnsafeBytes { bytes in
            do throws(MQTTError) {
                return .success(try publish(topic: topic, payload: bytes, qos: qos, retain: retain))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Queues one publication of UTF-8 text (JSON, `online`...); see `publish(topic:payload:qos:retain:)`.
    @discardableResult
    public func publish(topic: String, text: String, qos: MQTTQoS = .atMostOnce, retain: Bool = false) throws(MQTTError) -> MQTTMessageID {
        try publish(topic: topic, payload: Array(text.utf8), qos: qos, retain: retain)
    }

    /// Subscribes to a topic filter. Needs a live connection: subscribe from `onConnect` so the
    /// subscription is renewed after every reconnect. The SUBACK arrives as `.subscribed`.
    @discardableResult
    public func subscribe(_ topicFilter: String, qos: MQTTQoS = .atLeastOnce) throws(MQTTError) -> MQTTMessageID {
        var mid: Int32 = 0
        let result = queueing { mosquitto_subscribe(handle, &mid, topicFilter, qos.rawValue) }
        guard result.rc == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError.mosquitto(result.rc, errno: result.errno, operation: "subscribe to '\(topicFilter)' on \(context.currentEndpoint)")
        }
        return MQTTMessageID(rawValue: mid)
    }

    /// Removes a subscription. The UNSUBACK arrives as `.unsubscribed`.
    @discardableResult
    public func unsubscribe(_ topicFilter: String) throws(MQTTError) -> MQTTMessageID {
        var mid: Int32 = 0
        let result = queueing { mosquitto_unsubscribe(handle, &mid, topicFilter) }
        guard result.rc == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError.mosquitto(result.rc, errno: result.errno, operation: "unsubscribe from '\(topicFilter)' on \(context.currentEndpoint)")
        }
        return MQTTMessageID(rawValue: mid)
    }

    /// Runs one libmosquitto call that sends a packet, under the handle's lock, capturing errno; if the
    /// packet could not be written at once, the network thread is asked to send it.
    private func queueing(_ body: () -> Int32) -> (rc: Int32, errno: Int32) {
        let (result, unsent) = context.lock.run { (mosquittoCall(body), mosquitto_want_write(handle)) }
        if unsent { flushLater() }
        return result
    }

    /// Test only: kills the TCP connection without sending DISCONNECT, as a crash or power cut would,
    /// so the broker publishes the last will. The network thread then reconnects by itself.
    @_spi(Testing)
    public func simulateCrash() {
        let socket = context.lock.run { mosquitto_socket(handle) }
        if socket >= 0 {
            _ = shutdown(socket, Int32(SHUT_RDWR))
        }
    }
}
