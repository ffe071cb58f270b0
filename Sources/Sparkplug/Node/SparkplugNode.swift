import PlantModel

/// The Sparkplug B 3.0 edge node: a pure state machine that turns connection events, values, commands
/// and host STATE into the messages to publish. No I/O and no clock: every call that stamps a
/// payload takes `at` (milliseconds since the Unix epoch).
///
/// Lifecycle, as the caller drives it:
/// 1. `prepareConnection(at:)` before every new MQTT connection: advances `bdSeq`, returns the NDEATH
///    to set as the will. Persist `birthDeathSequence` so the next process continues from it.
/// 2. `connected(at:)` on CONNACK: subscribe to `subscriptions`, then publish what it returns
///    (NBIRTH and every DBIRTH, or nothing while a configured primary host is not online).
/// 3. `nodeData`, `deviceData` (or `deviceDataOrKeep` for store and forward), `historicalDeviceData`,
///    `deviceDown`, `deviceUp` as values arrive.
/// 4. `received(topic:payload:at:)` for every message on the subscriptions.
/// 5. `disconnected()` when the link drops.
///
/// `seq` runs 0-255 over every message of the node (NBIRTH is 0) and wraps to 0.
/// Aliases are unique across the node and the same in every birth of this process.
public struct SparkplugNode: Sendable {
    /// Who this node is.
    public let configuration: SparkplugNodeConfiguration

    var nodeTable: MetricTable
    var deviceTables: [MetricTable]
    var deviceIDs: [String]
    var deviceOnline: [Bool]
    var primaryHost: SparkplugPrimaryHost?
    var phase = Phase.disconnected
    /// False until the owner says the first values are in (`valuesArrived`), when it asked to wait for
    /// them: births then carry values, not nulls.
    var valuesReady: Bool
    /// Whether stored values wait to be replayed: live data is kept behind them (see `deviceDataOrKeep`);
    /// set when values are kept or by `holdBacklog`, cleared by `backlogReplayed`.
    public internal(set) var holdsBacklog = false
    private var nextSeq: UInt8 = 0
    private var lastBirthDeathSequence: UInt8?

    enum Phase: Sendable, Equatable {
        case disconnected
        /// Connected, births withheld until the primary host is online.
        case awaitingHost
        /// NBIRTH published in this connection; data may flow.
        case born
    }

    /// A node with its own metrics (gateway figures) and its devices (meters and lines).
    /// - Parameters:
    ///   - storedBirthDeathSequence: the `birthDeathSequence` persisted by the previous run, or `nil`
    ///     on first start; the first connection then uses that value + 1 (or 0).
    ///   - waitsForValues: withhold births until `valuesArrived(at:)`, so the first NBIRTH and DBIRTHs
    ///     carry the first values instead of nulls.
    /// - Throws: `SparkplugError` for an invalid or duplicate device id, duplicate metric names, or a
    ///   node metric named `bdSeq` or `Node Control/...` (the node publishes those itself).
    public init(
        configuration: SparkplugNodeConfiguration, nodeMetrics: [SparkplugMetricDefinition],
        devices: [SparkplugDevice], storedBirthDeathSequence: UInt8? = nil, waitsForValues: Bool = false
    ) throws(SparkplugError) {
        for metric in nodeMetrics
        where metric.name == PayloadEncoding.birthDeathSequenceName || metric.name.hasPrefix("Node Control/") {
            throw SparkplugError(
                .reservedMetricName,
                "node metric '\(metric.name)' is reserved by Sparkplug and published by the edge node itself; rename it")
        }
        let rebirth = SparkplugMetricDefinition(name: PayloadEncoding.rebirthName, dataType: .boolean)
        var nodeTable = try MetricTable(owner: "edge node", definitions: [rebirth] + nodeMetrics, firstAlias: 1)
        _ = nodeTable.store(MetricReading(value: .boolean(false), quality: .good, timestampMs: 0), at: 0)
        var tables: [MetricTable] = []
        var nextAlias = nodeTable.nextAlias
        for device in devices {
            try SparkplugNodeConfiguration.validate(device.id, as: "device_id")
            guard !tables.contains(where: { $0.owner == "device '\(device.id)'" }) else {
                throw SparkplugError(.duplicateDevice, "device '\(device.id)' is declared twice; device ids must be unique per edge node")
            }
            let table = try MetricTable(owner: "device '\(device.id)'", definitions: device.metrics, firstAlias: nextAlias)
            nextAlias = table.nextAlias
            tables.append(table)
        }
        self.configuration = configuration
        self.nodeTable = nodeTable
        self.deviceTables = tables
        self.deviceIDs = devices.map(\.id)
        self.deviceOnline = Array(repeating: true, count: devices.count)
        self.primaryHost = configuration.primaryHostID.map(SparkplugPrimaryHost.init(hostID:))
        self.lastBirthDeathSequence = storedBirthDeathSequence
        self.valuesReady = !waitsForValues
    }

    /// The `bdSeq` of the latest prepared connection (the one in the current will): persist it.
    /// `nil` until the first `prepareConnection`.
    public var birthDeathSequence: UInt8? { lastBirthDeathSequence }

    /// Whether NBIRTH has been published on the current connection (data messages flow only then).
    public var isBorn: Bool { phase == .born }

    /// Whether the configured primary host's newest STATE says online; `nil` without a primary host.
    public var isPrimaryHostOnline: Bool? { primaryHost?.isOnline }

    /// Whether births may be published now: connected, the primary host (if any) is online, and the
    /// first values are in (if the node waits for them).
    public var mayPublishBirths: Bool {
        phase != .disconnected && (primaryHost?.isOnline ?? true) && valuesReady
    }

    /// Whether births still wait for the first values (see `waitsForValues`).
    public var awaitsFirstValues: Bool { !valuesReady }

    /// The first values are stored (`nodeData`/`deviceData` keep them while unborn): returns the births
    /// that waited for them, if the connection and the primary host allow them now.
    public mutating func valuesArrived(at nowMs: UInt64) -> [SparkplugMessage] {
        guard !valuesReady else { return [] }
        valuesReady = true
        return phase == .awaitingHost && mayPublishBirths ? births(at: nowMs) : []
    }

    /// Topic filters to subscribe to on every connection, before the births: NCMD, DCMD and the
    /// primary host's STATE (QoS 1).
    public var subscriptions: [String] {
        [SparkplugTopic.node(.nodeCommand, configuration), SparkplugTopic.device(.deviceCommand, configuration, device: "+")]
            + (configuration.primaryHostID.map { [SparkplugTopic.state(hostID: $0)] } ?? [])
    }

    /// Call before every new MQTT connection: advances `bdSeq` (wrapping 255 → 0) and returns the
    /// NDEATH to register as the MQTT will (QoS 1, not retained).
    public mutating func prepareConnection(at nowMs: UInt64) -> SparkplugMessage {
        lastBirthDeathSequence = lastBirthDeathSequence.map { $0 &+ 1 } ?? 0
        return death(at: nowMs)
    }

    /// The NDEATH for the current `bdSeq`: the will, or to publish before a deliberate disconnect.
    public func death(at nowMs: UInt64) -> SparkplugMessage {
        let sequence = lastBirthDeathSequence ?? 0
        let payload = PayloadEncoding.encode(
            timestampMs: nowMs, seq: nil,
            metrics: [PayloadEncoding.birthDeathSequenceMetric(sequence, timestampMs: nowMs)])
        return SparkplugMessage(
            type: .nodeDeath, topic: SparkplugTopic.node(.nodeDeath, configuration), payload: payload,
            qos: 1, retain: false, seq: nil)
    }

    /// The broker accepted the connection. Returns NBIRTH and every DBIRTH if births may be published,
    /// else nothing (they follow when the primary host's STATE says online).
    public mutating func connected(at nowMs: UInt64) -> [SparkplugMessage] {
        if lastBirthDeathSequence == nil { lastBirthDeathSequence = 0 }
        primaryHost?.connectionStarted()
        phase = .awaitingHost
        return mayPublishBirths ? births(at: nowMs) : []
    }

    /// The connection ended; nothing is published until `connected` again.
    public mutating func disconnected() {
        phase = .disconnected
        primaryHost?.connectionStarted()
    }

    /// NBIRTH (seq 0, bdSeq unchanged) followed by a DBIRTH for every online device.
    mutating func births(at nowMs: UInt64) -> [SparkplugMessage] {
        phase = .born
        nextSeq = 0
        var nodeMetrics = [PayloadEncoding.birthDeathSequenceMetric(lastBirthDeathSequence ?? 0, timestampMs: nowMs)]
        nodeMetrics += birthMetrics(of: nodeTable, at: nowMs)
        nodeTable.markBorn()
        var messages = [nodeMessage(.nodeBirth, metrics: nodeMetrics, at: nowMs)]
        for index in deviceTables.indices where deviceOnline[index] {
            messages.append(deviceBirth(index, at: nowMs))
        }
        return messages
    }

    mutating func deviceBirth(_ index: Int, at nowMs: UInt64) -> SparkplugMessage {
        let metrics = birthMetrics(of: deviceTables[index], at: nowMs)
        deviceTables[index].markBorn()
        return deviceMessage(.deviceBirth, device: index, metrics: metrics, at: nowMs)
    }

    private func birthMetrics(of table: MetricTable, at nowMs: UInt64) -> [WireMetric] {
        table.definitions.indices.map {
            PayloadEncoding.birthMetric(table.definitions[$0], alias: table.aliases[$0], reading: table.current[$0], timestampMs: nowMs)
        }
    }

    mutating func nodeMessage(_ type: SparkplugMessageType, metrics: [WireMetric], at nowMs: UInt64) -> SparkplugMessage {
        let seq = takeSeq()
        return SparkplugMessage(
            type: type, topic: SparkplugTopic.node(type, configuration),
            payload: PayloadEncoding.encode(timestampMs: nowMs, seq: seq, metrics: metrics), qos: 0, retain: false, seq: seq)
    }

    mutating func deviceMessage(_ type: SparkplugMessageType, device index: Int, metrics: [WireMetric], at nowMs: UInt64) -> SparkplugMessage {
        let seq = takeSeq()
        return SparkplugMessage(
            type: type, topic: SparkplugTopic.device(type, configuration, device: deviceIDs[index]),
            payload: PayloadEncoding.encode(timestampMs: nowMs, seq: seq, metrics: metrics), qos: 0, retain: false, seq: seq)
    }

    private mutating func takeSeq() -> UInt8 {
        defer { nextSeq &+= 1 }
        return nextSeq
    }
}
