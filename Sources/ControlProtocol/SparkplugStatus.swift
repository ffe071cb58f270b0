/// `plantgate status`: the Sparkplug B edge node's session, when `mqtt.sparkplug` is configured.
public struct SparkplugStatus: Codable, Sendable, Hashable {
    public var groupID: String
    public var edgeNodeID: String
    /// Whether the edge node's own MQTT connection is up.
    public var connected: Bool
    /// Whether NBIRTH went out on this connection (data flows only then).
    public var born: Bool
    /// The bdSeq of the current NBIRTH and NDEATH will; nil before the first connection.
    public var birthDeathSequence: Int?
    /// Births still wait for the first values (start-up, at most 30 s).
    public var awaitingFirstValues: Bool
    /// The configured primary host, and whether its STATE says online (nil without a primary host).
    public var primaryHostID: String?
    public var primaryHostOnline: Bool?
    /// DDATA records kept for replay as historical (link down, primary host offline), and those dropped
    /// since start (spool bounds, a device down at replay). Nil from a daemon that does not report them.
    public var storedRecords: Int?
    public var droppedRecords: Int?

    public init(groupID: String, edgeNodeID: String, connected: Bool, born: Bool, birthDeathSequence: Int?,
                awaitingFirstValues: Bool, primaryHostID: String?, primaryHostOnline: Bool?,
                storedRecords: Int? = nil, droppedRecords: Int? = nil) {
        self.groupID = groupID
        self.edgeNodeID = edgeNodeID
        self.connected = connected
        self.born = born
        self.birthDeathSequence = birthDeathSequence
        self.awaitingFirstValues = awaitingFirstValues
        self.primaryHostID = primaryHostID
        self.primaryHostOnline = primaryHostOnline
        self.storedRecords = storedRecords
        self.droppedRecords = droppedRecords
    }

    /// One line: `sparkplug g1/gw1: born, bdSeq 3, primary host scada-1 online`.
    public var summary: String {
        var parts = [connected ? (born ? "born" : awaitingFirstValues ? "connected, births wait for the first values" : "connected, not born") : "disconnected"]
        parts.append("bdSeq " + (birthDeathSequence.map(String.init) ?? "-"))
        if let host = primaryHostID {
            parts.append("primary host \(host) " + (primaryHostOnline == true ? "online" : "offline"))
        }
        if let stored = storedRecords, stored > 0 { parts.append("\(stored) DDATA records kept for replay") }
        if let dropped = droppedRecords, dropped > 0 { parts.append("\(dropped) dropped") }
        return "sparkplug \(groupID)/\(edgeNodeID): " + parts.joined(separator: ", ")
    }
}
