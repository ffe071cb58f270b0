/// Who this edge node is in the Sparkplug namespace.
public struct SparkplugNodeConfiguration: Sendable, Hashable {
    /// The `group_id` topic element (e.g. the site).
    public let groupID: String
    /// The `edge_node_id` topic element (this box).
    public let edgeNodeID: String
    /// The primary host application's id: births wait until its STATE says online. `nil`: no wait.
    public let primaryHostID: String?

    /// A validated configuration.
    /// - Throws: `SparkplugError` `.invalidIdentifier` when an id is empty or holds `/`, `+` or `#`.
    public init(groupID: String, edgeNodeID: String, primaryHostID: String? = nil) throws(SparkplugError) {
        try SparkplugNodeConfiguration.validate(groupID, as: "group_id")
        try SparkplugNodeConfiguration.validate(edgeNodeID, as: "edge_node_id")
        if let primaryHostID { try SparkplugNodeConfiguration.validate(primaryHostID, as: "primary_host_id") }
        self.groupID = groupID
        self.edgeNodeID = edgeNodeID
        self.primaryHostID = primaryHostID
    }

    /// Sparkplug ids are single MQTT topic levels: no separators, no wildcards, not empty.
    static func validate(_ identifier: String, as field: String) throws(SparkplugError) {
        let forbidden = identifier.filter { "/+#".contains($0) }
        guard !identifier.isEmpty, forbidden.isEmpty else {
            throw SparkplugError(
                .invalidIdentifier,
                "\(field) '\(identifier)' is not a valid Sparkplug id: "
                    + (identifier.isEmpty ? "it is empty" : "it contains '\(forbidden)'")
                    + "; use letters, digits, '-', '_' or '.' only")
        }
    }
}
