import Logging
import MQTT

/// Decides which connection events are worth a log line: one line per distinct problem, not one per retry.
///
/// A wrong password makes libmosquitto retry with back-off forever; each retry is refused and then
/// disconnected. The first refusal is logged as an error, later identical ones only at debug level, and
/// the disconnect that follows a refusal is not reported at all. A successful connect re-arms it.
struct ConnectionReporter {
    private var reported: MQTTError.Code?
    private var refusedSinceConnect = false

    /// Whether the broker refused the last attempt: its reason, not the disconnect after it, is the news.
    var refusedLastAttempt: Bool { refusedSinceConnect }

    mutating func connected(_ logger: Logger, endpoint: String, spoolDepth: Int) {
        let recovered = reported != nil
        reported = nil
        refusedSinceConnect = false
        logger.info(
            "connected to the MQTT broker", metadata: [
                "broker": "\(endpoint)", "spooled": "\(spoolDepth)", "recovered": "\(recovered)",
            ])
    }

    mutating func refused(_ error: MQTTError, _ logger: Logger) {
        refusedSinceConnect = true
        if reported == error.code {
            logger.debug("MQTT broker refused the connection again", metadata: ["error": "\(error)"])
        } else {
            reported = error.code
            logger.error("MQTT broker refused the connection; retrying with back-off: \(error)")
        }
    }

    mutating func lost(_ error: MQTTError, wasConnected: Bool, _ logger: Logger) {
        if refusedSinceConnect && !wasConnected {
            logger.debug("MQTT connection closed after refusal", metadata: ["error": "\(error)"])
            return
        }
        if wasConnected {
            reported = error.code
            logger.warning("lost the MQTT broker; durable messages are spooled until it is back: \(error)")
        } else if reported != error.code {
            reported = error.code
            logger.warning("MQTT broker unreachable; retrying with back-off, durable messages are spooled: \(error)")
        } else {
            logger.debug("MQTT broker still unreachable", metadata: ["error": "\(error)"])
        }
    }
}
