/// A closed period record on its way to the channel: kept in the state store with the snapshot taken
/// right after its period closed, until the next snapshot, so a SIGKILL between the two replays the very
/// same bytes (same seq) instead of closing the period again from older state.
public struct PendingPeriod: Sendable, Hashable {
    public var topic: String
    public var payload: [UInt8]

    public init(topic: String, payload: [UInt8]) {
        self.topic = topic
        self.payload = payload
    }
}
