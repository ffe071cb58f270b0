/// What the caller must do after a message arrived on the edge node's subscriptions.
public enum SparkplugReaction: Sendable, Hashable {
    /// A host asked `Node Control/Rebirth`: publish these (NBIRTH with seq 0, then every DBIRTH).
    case rebirth([SparkplugMessage])
    /// The primary host is online: publish these births (empty if the node was already born).
    case hostOnline([SparkplugMessage])
    /// The primary host went offline: treat it as an outage. Publish `death`, disconnect, and
    /// connect again (with `prepareConnection`) later.
    case hostOffline(death: SparkplugMessage)
    /// A command that plantgate refuses (it never writes to plant devices): log it.
    case refused(SparkplugRefusal)
    /// Nothing to do; the reason is for a debug log.
    case ignored(String)
}

/// A refused NCMD or DCMD, with what was asked, for the log.
public struct SparkplugRefusal: Sendable, Hashable, CustomStringConvertible {
    /// The command's topic.
    public let topic: String
    /// The device the DCMD addressed; `nil` for NCMD.
    public let device: String?
    /// Names (or `alias N` when only the alias was sent) of the metrics the command tried to write.
    public let metrics: [String]
    /// Why it was refused.
    public let reason: String

    /// A refusal.
    public init(topic: String, device: String?, metrics: [String], reason: String) {
        self.topic = topic
        self.device = device
        self.metrics = metrics
        self.reason = reason
    }

    public var description: String {
        let what = metrics.isEmpty ? "no metrics" : metrics.joined(separator: ", ")
        return "refused \(device == nil ? "NCMD" : "DCMD to device '\(device ?? "")'") on \(topic) writing \(what): \(reason)"
    }
}
