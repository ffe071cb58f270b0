import Synchronization

/// What the MQTT client did with the edge node's messages, counted by the session's publish closure
/// and the client's publish callback: the outbox paces its replay by them and sees a message refused.
final class SparkplugHandover: Sendable {
    /// Messages the client took.
    let handed = Atomic<Int>(0)
    /// Messages the client reported written to the broker (QoS 0 has no broker acknowledgement).
    let written = Atomic<Int>(0)
    /// Messages the client refused (no connection).
    let refused = Atomic<Int>(0)

    /// Taken and not reported written yet.
    var outstanding: Int { handed.load(ordering: .relaxed) - written.load(ordering: .relaxed) }

    /// Refused so far: compare before and after a publish to see whether it went.
    var refusals: Int { refused.load(ordering: .relaxed) }

    /// A new connection: messages of the old one will never be reported written.
    func connectionStarted() { written.store(handed.load(ordering: .relaxed), ordering: .relaxed) }
}
