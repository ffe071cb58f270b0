import PlantModel

/// Sparkplug B 3.0 topic names: `spBv1.0/{group}/{type}/{edge_node}[/{device}]` and `spBv1.0/STATE/{host}`.
public enum SparkplugTopic {
    /// The Sparkplug B namespace element.
    public static let namespace = MQTTTopics.sparkplugNamespace

    /// Topic of a node-level message (NBIRTH, NDEATH, NDATA, NCMD).
    public static func node(_ type: SparkplugMessageType, _ configuration: SparkplugNodeConfiguration) -> String {
        "\(namespace)/\(configuration.groupID)/\(type.rawValue)/\(configuration.edgeNodeID)"
    }

    /// Topic of a device-level message (DBIRTH, DDEATH, DDATA, DCMD).
    public static func device(_ type: SparkplugMessageType, _ configuration: SparkplugNodeConfiguration, device: String) -> String {
        "\(node(type, configuration))/\(device)"
    }

    /// The primary host's STATE topic.
    public static func state(hostID: String) -> String { "\(namespace)/STATE/\(hostID)" }

    /// What an incoming topic addresses, as far as this edge node cares.
    enum Incoming: Equatable {
        case nodeCommand
        case deviceCommand(device: String)
        case state(hostID: String)
        case other
    }

    /// Classifies a received topic; commands for other groups or edge nodes are `.other`.
    static func classify(_ topic: String, for configuration: SparkplugNodeConfiguration) -> Incoming {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard levels.first == namespace else { return .other }
        if levels.count == 3, levels[1] == "STATE" { return .state(hostID: levels[2]) }
        guard levels.count >= 4, levels[1] == configuration.groupID, levels[3] == configuration.edgeNodeID else {
            return .other
        }
        switch (levels[2], levels.count) {
        case (SparkplugMessageType.nodeCommand.rawValue, 4): return .nodeCommand
        case (SparkplugMessageType.deviceCommand.rawValue, 5): return .deviceCommand(device: levels[4])
        default: return .other
        }
    }
}
