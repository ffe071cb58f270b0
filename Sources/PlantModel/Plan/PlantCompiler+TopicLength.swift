extension PlantCompiler {
    /// MQTT carries a topic's length in two bytes; the broker client refuses a longer topic when the
    /// daemon first publishes, long after start-up. The longest topic each part of the config makes
    /// is checked here instead, and the longest part written is named.
    static let maxTopicBytes = 65_535
    /// Room for the fixed last levels (`health`, metric keys such as `specific_energy_kwh_per_t`, `periods/15min`).
    static let fixedLevelsBytes = 64

    mutating func checkTopicLengths() {
        let head = config.mqtt.prefix.utf8.count + 1 + config.site.id.utf8.count + 1
        var parts: [(path: String, bytes: Int, topic: Int)] = [
            ("mqtt.prefix", config.mqtt.prefix.utf8.count, head + Self.fixedLevelsBytes),
            ("site.id", config.site.id.utf8.count, head + Self.fixedLevelsBytes),
        ]
        for (index, device) in config.devices.enumerated() {
            let levels = tags.filter { $0.device == device.id }.map(\.topicLevel.utf8.count).max() ?? 0
            parts.append((path("devices", index) + ".id", device.id.utf8.count,
                          head + "devices/".utf8.count + device.id.utf8.count + 1 + max(levels, Self.fixedLevelsBytes)))
        }
        for (index, tag) in tags.enumerated() {
            parts.append((tagPaths[index], tag.topicLevel.utf8.count, head + "devices/".utf8.count + tag.device.utf8.count + 1 + tag.topicLevel.utf8.count))
        }
        for (index, line) in config.lines.enumerated() {
            parts.append((path("lines", index) + ".id", line.id.utf8.count, head + "lines/".utf8.count + line.id.utf8.count + 1 + Self.fixedLevelsBytes))
        }
        if let sparkplug = config.mqtt.sparkplug {
            let node = MQTTTopics.sparkplugNamespace.utf8.count + 1 + sparkplug.groupID.utf8.count + "/DBIRTH/".utf8.count + sparkplug.edgeNodeID.utf8.count + 1
            let devices = (config.devices.map(\.id.utf8.count) + config.lines.map(\.id.utf8.count)).max() ?? 0
            parts.append(("mqtt.sparkplug.group_id", sparkplug.groupID.utf8.count, node + devices))
            parts.append(("mqtt.sparkplug.edge_node_id", sparkplug.edgeNodeID.utf8.count, node + devices))
            if let host = sparkplug.primaryHostID {
                parts.append(("mqtt.sparkplug.primary_host_id", host.utf8.count, MQTTTopics.sparkplugNamespace.utf8.count + "/STATE/".utf8.count + host.utf8.count))
            }
        }
        guard let longestTopic = parts.map(\.topic).max(), longestTopic > Self.maxTopicBytes else { return }
        // Blame the longest part among those that make an overlong topic: shortening it is the fix.
        let culprit = parts.filter { $0.topic > Self.maxTopicBytes }.max { $0.bytes < $1.bytes } ?? parts[0]
        error(culprit.path, "this value is \(culprit.bytes) bytes and makes MQTT topics of up to \(longestTopic) bytes; "
              + "MQTT allows at most \(Self.maxTopicBytes) bytes per topic — shorten it (ids and prefixes are topic levels)")
    }
}
