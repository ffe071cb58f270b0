/// A validated plant, compiled for running: the tag table, what each bus reads and when, the line
/// definitions for the metric engine and the site settings.
public struct PlantPlan: Sendable, Hashable {
    /// Where the daemon keeps its state, its control socket and how much it logs (`state_dir`,
    /// `control_socket`, `log_level`). The plan keeps these rather than the whole `PlantConfig`: the daemon
    /// holds its plan for days and needs no second copy of every tag's configuration.
    public var stateDirectory: String
    public var controlSocket: String
    public var logLevel: LogLevel
    public var site: SiteDefinition
    /// Indexed by `TagIndex`.
    public var tags: [TagDefinition]
    public var buses: [BusPlan]
    public var lines: [LineDefinition]
    public var mqtt: MQTTConfig
    /// Findings that do not stop the plant from running (e.g. a bus that cannot keep up).
    public var warnings: [ConfigDiagnostic]
    /// `SourceRevision` of the text it was loaded from ("" when built in code).
    public var revision: String = ""

    /// The tag with this `device/tag` path.
    public func tag(path: String) -> TagDefinition? { tags.first { $0.path == path } }

    /// The site's MQTT topics (`mqtt.prefix`, `site.id`).
    public var topics: MQTTTopics { MQTTTopics(prefix: mqtt.prefix, site: site.id) }

    /// The MQTT topic a tag's raw values are published on.
    public func topic(of tag: TagDefinition) -> String { topics.raw(device: tag.device, tag: tag.topicLevel) }

    /// Read requests per second over the whole plant.
    public var requestsPerSecond: Double {
        buses.reduce(0) { $0 + $1.devices.reduce(0) { $0 + $1.requestsPerSecond } }
    }
}

/// One bus and, in polling order, the devices on it.
public struct BusPlan: Sendable, Hashable {
    public var bus: BusConfig
    public var devices: [DeviceReadPlan]
}

/// What to read from one device, grouped by interval.
public struct DeviceReadPlan: Sendable, Hashable {
    public var device: String
    public var unit: Int
    /// Tags with the same interval share requests; one group per distinct interval, fastest first.
    public var groups: [ReadGroup]

    /// The groups due at `tick` when the device is driven at the fastest group's interval
    /// (tick 0 = start): a group is due every `interval / fastest` ticks.
    public func groupsDue(atTick tick: Int) -> [ReadGroup] {
        guard let fastest = groups.first?.interval, fastest > .zero else { return groups }
        return groups.filter { group in
            let every = max(1, Int((DurationText.seconds(group.interval) / DurationText.seconds(fastest)).rounded()))
            return tick % every == 0
        }
    }

    public var requestsPerSecond: Double {
        groups.reduce(0) { $0 + Double($1.requests.count) / max(DurationText.seconds($1.interval), 0.001) }
    }
}

/// Requests read together at one interval.
public struct ReadGroup: Sendable, Hashable {
    public var interval: Duration
    public var requests: [ReadRequest]
}
