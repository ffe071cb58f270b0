import Foundation

/// What the edge node knows about its primary host application, from `spBv1.0/STATE/{host_id}`.
///
/// Sparkplug 3.0 STATE payloads are UTF-8 JSON `{"online": true, "timestamp": 1700000000000}`,
/// published retained. A message with an older timestamp than the newest seen is a leftover (a
/// delayed will, an old retained copy) and is ignored.
public struct SparkplugPrimaryHost: Sendable, Hashable {
    /// The host application id from the configuration.
    public let hostID: String
    /// Whether the newest STATE in this connection said online.
    public private(set) var isOnline = false
    /// Timestamp of the newest STATE accepted, kept across connections.
    public private(set) var lastTimestampMs: UInt64?

    /// A host not yet heard from (offline until its STATE says otherwise).
    public init(hostID: String) { self.hostID = hostID }

    /// What one STATE message meant.
    public enum Change: Sendable, Hashable {
        /// The host came online (or confirmed it).
        case online
        /// The host went offline (or confirmed it).
        case offline
        /// The message was ignored; the reason says why (stale timestamp, malformed JSON).
        case ignored(String)
    }

    private struct StatePayload: Decodable {
        let online: Bool
        let timestamp: UInt64
    }

    /// Applies one STATE payload.
    public mutating func apply(payload: [UInt8]) -> Change {
        guard let state = try? JSONDecoder().decode(StatePayload.self, from: Data(payload)) else {
            let text = String(decoding: payload.prefix(200), as: UTF8.self)
            return .ignored(
                "STATE of host '\(hostID)' is not Sparkplug 3.0 JSON {\"online\": bool, \"timestamp\": ms}: '\(text)'")
        }
        if let last = lastTimestampMs, state.timestamp < last {
            return .ignored("STATE of host '\(hostID)' at \(state.timestamp) is older than the one seen at \(last)")
        }
        lastTimestampMs = state.timestamp
        isOnline = state.online
        return state.online ? .online : .offline
    }

    /// A new connection: the host counts as offline until its retained STATE arrives again.
    mutating func connectionStarted() { isOnline = false }
}
