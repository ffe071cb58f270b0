import Foundation
import Logging
import MQTT

/// Where a decision's log lines go (level, message, metadata); the shell writes them to the logger.
typealias DecisionLog = (Logger.Level, String, Logger.Metadata) -> Void

/// Decides which connection events are worth a log line: one line per distinct problem, not one per retry.
///
/// A wrong password makes libmosquitto retry with back-off forever; each retry is refused and then
/// disconnected. The first refusal is logged as an error, later identical ones only at debug level, and
/// the disconnect that follows a refusal is not reported at all. A successful connect re-arms it.
///
/// Two clients with one client id take the connection from each other in turns. A broker may say so
/// (MQTT 5 reason 0x8E); mosquitto 2.0 just closes the older connection, so two connections in a row
/// closed within `quickLoss` of being accepted are reported as that tug-of-war, not as a lost broker
/// (one alone may be a broker restart), and the connects and losses that follow it are logged at debug
/// level until a connection lasts.
struct ConnectionReporter {
    /// A broker restart right after a connect is rare; another client with our id is not.
    static let quickLoss: Int64 = 5_000_000_000

    let clientID: String
    private var reported: MQTTError.Code?
    private var refusedSinceConnect = false
    private var connectedAt: Int64?
    private var takenOver = false
    /// Connections in a row the broker closed within `quickLoss` of accepting them.
    private var quickLosses = 0

    init(clientID: String) {
        self.clientID = clientID
    }

    /// Whether the broker refused the last attempt: its reason, not the disconnect after it, is the news.
    var refusedLastAttempt: Bool { refusedSinceConnect }

    mutating func connected(at now: Int64, endpoint: String, spoolDepth: Int, _ log: DecisionLog) {
        let recovered = reported != nil
        reported = nil
        refusedSinceConnect = false
        connectedAt = now
        let metadata: Logger.Metadata = ["broker": "\(endpoint)", "spooled": "\(spoolDepth)", "recovered": "\(recovered)"]
        if takenOver {
            log(.debug, "took the MQTT client id back", metadata)
        } else {
            log(.info, "connected to the MQTT broker", metadata)
        }
    }

    mutating func refused(_ error: MQTTError, at now: Int64, _ log: DecisionLog) {
        let error = error.namingConfigKeys
        refusedSinceConnect = true
        if reported == error.code {
            log(.debug, "MQTT broker refused the connection again", ["error": "\(error)"])
        } else {
            reported = error.code
            log(.error, "MQTT broker refused the connection; retrying with back-off: \(error)", [:])
        }
    }

    /// Logs a lost connection or a failed attempt; returns the words for the status (`last_error`).
    mutating func lost(_ error: MQTTError, wasConnected: Bool, at now: Int64, _ log: DecisionLog) -> String {
        let error = error.namingConfigKeys
        let lasted = wasConnected ? connectedAt.map { now - $0 } : nil
        let quick = error.code == .connectionLost && lasted.map { $0 < Self.quickLoss } == true
        // A failed attempt breaks the run: the broker is away, not busy with another client.
        quickLosses = quick ? quickLosses + 1 : 0
        if wasConnected, let takeover = takeover(error, lasted: lasted ?? 0) {
            if takenOver {
                log(.debug, "MQTT client id taken over again", ["error": "\(takeover)"])
            } else {
                log(.warning, takeover, [:])
            }
            takenOver = true
            reported = .sessionTakenOver
            return takeover
        }
        if wasConnected { takenOver = false }
        if quick {
            // Once may be a broker restart; the next loss says which (a takeover repeats, a broker away refuses).
            let words = "the MQTT broker closed the connection \(Self.seconds(lasted ?? 0)) s after accepting it; reconnecting"
            log(.info, words, ["error": "\(error)"])
            reported = error.code
            return words
        }
        if refusedSinceConnect && !wasConnected {
            log(.debug, "MQTT connection closed after refusal", ["error": "\(error)"])
            return error.description
        }
        if wasConnected {
            reported = error.code
            log(.warning, "lost the MQTT broker; durable messages are spooled until it is back: \(error)", [:])
        } else if reported != error.code {
            reported = error.code
            log(.warning, "MQTT broker unreachable; retrying with back-off, durable messages are spooled: \(error)", [:])
        } else {
            log(.debug, "MQTT broker still unreachable", ["error": "\(error)"])
        }
        return error.description
    }

    /// The takeover in words, if this loss is one: said by the broker (MQTT 5 reason 0x8E), or the second
    /// connection in a row the broker closed right after accepting it (what mosquitto does, any version).
    private func takeover(_ error: MQTTError, lasted: Int64) -> String? {
        if error.code == .sessionTakenOver {
            return "MQTT client id '\(clientID)' taken over by another client: \(error.message)"
        }
        guard quickLosses >= 2 else { return nil }
        return "MQTT client id '\(clientID)' taken over by another client, it seems: the broker closed the connection "
            + "\(Self.seconds(lasted)) s after accepting it, \(quickLosses == 2 ? "twice" : "\(quickLosses) times") in a row, as a broker does when "
            + "a second client connects with the same client id; give each gateway (and tool) its own mqtt.client_id"
    }

    private static func seconds(_ nanos: Int64) -> String {
        String(format: "%.1f", Double(nanos) / 1e9)
    }
}
