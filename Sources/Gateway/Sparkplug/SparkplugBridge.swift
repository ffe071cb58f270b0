import ControlProtocol
import Dispatch
import ESG
import Foundation
import Logging
import MQTT
import Outbox
import PlantModel
import Sparkplug
import Synchronization

/// The daemon's Sparkplug B edge node: its own MQTT connection (client id `<client_id>-sparkplug`)
/// whose will is the NDEATH with the current `bdSeq`, births on every connection, DDATA batched per
/// engine pass, DDEATH/DBIRTH when a meter goes down or comes back, NCMD Rebirth honoured, DCMD refused.
/// DDATA the host cannot get live waits in `SparkplugOutbox` and follows the next births, flagged historical.
///
/// Threads: the engine thread feeds it (`EngineTap`); the MQTT client's network thread delivers connects,
/// disconnects and commands. `bdSeq` advances before every CONNECT (the will is replaced in
/// `onDisconnect`, before libmosquitto reconnects) and is persisted in the state directory.
public final class SparkplugBridge: EngineTap {
    /// The `mqtt.sparkplug` section this bridge runs.
    public let configuration: SparkplugConfig
    let client: MQTTClient
    let session: SparkplugSession
    let store: BirthDeathStore
    let outbox: SparkplugOutbox
    private let handover: SparkplugHandover
    let logger: Logger
    private let feed: Mutex<SparkplugFeed>
    private let readiness: Mutex<BirthReadiness>
    private let figures = Mutex(NodeFigures())
    private let loggedOnce = Mutex<Set<String>>([])
    private let stopping = Atomic<Bool>(false)
    private let linkUp = Atomic<Bool>(false)
    private let version: String

    private struct NodeFigures {
        var nextMono: Int64 = 0
    }

    /// A bridge for `plan`, or nil when `mqtt.sparkplug` is not configured.
    /// - Throws: when the MQTT options, the devices or the state directory are unusable, in words.
    public static func make(plan: PlantPlan, stateDirectory: String, version: String, logger: Logger) throws -> SparkplugBridge? {
        guard let configuration = plan.mqtt.sparkplug else { return nil }
        return try SparkplugBridge(plan: plan, configuration: configuration, stateDirectory: stateDirectory, version: version, logger: logger)
    }

    /// The channel the runtime should give the JSON publisher: without raw and metric messages in
    /// `instead` mode.
    public static func jsonChannel(_ base: any OutboundChannel, plan: PlantPlan) -> any OutboundChannel {
        JSONTopicsChannel.forMode(plan.mqtt.sparkplug?.mode, base: base)
    }

    init(plan: PlantPlan, configuration: SparkplugConfig, stateDirectory: String, version: String, logger: Logger) throws {
        self.configuration = configuration
        self.version = version
        var bridgeLogger = logger
        bridgeLogger[metadataKey: "sparkplug"] = "\(configuration.groupID)/\(configuration.edgeNodeID)"
        self.logger = bridgeLogger
        let catalogue = try SparkplugCatalogue(plan: plan)
        feed = Mutex(SparkplugFeed(catalogue: catalogue))
        readiness = Mutex(BirthReadiness(startMono: SystemClock.monotonicNanos(), hasLines: !catalogue.lineDevices.isEmpty))
        do {
            store = try BirthDeathStore(directory: stateDirectory)
        } catch {
            throw DaemonError("state directory \(stateDirectory): \(error); Sparkplug keeps its bdSeq there")
        }
        let node: SparkplugNode
        do throws(SparkplugError) {
            let identity = try SparkplugNodeConfiguration(
                groupID: configuration.groupID, edgeNodeID: configuration.edgeNodeID, primaryHostID: configuration.primaryHostID)
            node = try SparkplugNode(
                configuration: identity, nodeMetrics: SparkplugCatalogue.nodeMetrics, devices: catalogue.devices,
                storedBirthDeathSequence: store.load(), waitsForValues: true)
        } catch {
            throw DaemonError("mqtt.sparkplug: \(error)")
        }
        var options = try PublisherOptions.from(plan.mqtt, siteID: plan.site.id, version: version).client
        options.clientID += "-sparkplug"
        let client = try MQTTClient(options: options)
        self.client = client
        let publishLogger = bridgeLogger
        let handover = SparkplugHandover()
        self.handover = handover
        let session = SparkplugSession(
            node: node,
            publish: { message in
                do {
                    _ = try client.publish(topic: message.topic, payload: message.payload,
                                           qos: message.qos == 1 ? .atLeastOnce : .atMostOnce, retain: message.retain)
                    handover.handed.add(1, ordering: .relaxed)
                } catch {
                    // DDATA refused here is kept and replayed (the caller sees the refusal count move).
                    handover.refused.add(1, ordering: .relaxed)
                    publishLogger.debug("Sparkplug \(message.type.rawValue) not sent: \(error)")
                }
            },
            subscribe: { filter in _ = try? client.subscribe(filter, qos: .atLeastOnce) })
        self.session = session
        outbox = try SparkplugOutbox(
            stateDirectory: stateDirectory, limits: OutboxLimits(plan.mqtt.outbox), session: session, handover: handover,
            configuration: configuration, logger: bridgeLogger)
    }

    /// Sets the first will and starts connecting; births follow on CONNACK.
    public func start() throws {
        client.onConnect { [weak self] result in self?.connected(result) }
        client.onDisconnect { [weak self] reason in self?.disconnected(reason) }
        client.onMessage { [weak self] message in self?.received(message) }
        client.onPublish { [weak self] _ in
            guard let self else { return }
            handover.written.add(1, ordering: .relaxed)
            outbox.written()
        }
        try prepareWill()
        try client.connect()
        logger.info("Sparkplug edge node starting", metadata: [
            "mode": "\(configuration.mode.rawValue)", "bdSeq": "\(session.birthDeathSequence.map(String.init) ?? "-")",
            "broker": "\(client.options.endpoint)",
        ])
    }

    /// Publishes NDEATH (a deliberate disconnect sends no will) and disconnects.
    public func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        outbox.finish()
        if session.isBorn {
            let death = session.death()
            _ = try? client.publish(topic: death.topic, payload: death.payload, qos: .atLeastOnce, retain: false)
        }
        client.disconnect()
        session.disconnected()
    }

    // MARK: - Connection (the MQTT client's network thread)

    /// Advances bdSeq, persists it, and makes its NDEATH the will of the next CONNECT.
    private func prepareWill() throws {
        let death = session.prepareConnection()
        if let sequence = session.birthDeathSequence {
            do {
                try store.save(sequence)
            } catch {
                logger.error("\(error); after a restart bdSeq may repeat")
            }
        }
        try client.setWill(MQTTWill(topic: death.topic, payload: death.payload, qos: .atLeastOnce, retain: false))
    }

    private func connected(_ result: MQTTConnectResult) {
        guard case .accepted = result else { return }
        linkUp.store(true, ordering: .relaxed)
        handover.connectionStarted()
        session.connected()
        outbox.replaySoon()
        logger.info("Sparkplug connected", metadata: ["bdSeq": "\(session.birthDeathSequence.map(String.init) ?? "-")", "born": "\(session.isBorn)"])
    }

    private func disconnected(_ reason: MQTTDisconnectReason) {
        linkUp.store(false, ordering: .relaxed)
        session.disconnected()
        guard !stopping.load(ordering: .relaxed), case .lost = reason else { return }
        do {
            try prepareWill()
        } catch {
            logger.error("Sparkplug: cannot set the NDEATH will for the next connection: \(error)")
        }
    }

    private func received(_ message: MQTTMessage) {
        switch session.received(topic: message.topic, payload: message.payload) {
        case .rebirth:
            logger.info("Sparkplug rebirth on request", metadata: ["topic": "\(message.topic)"])
            outbox.replaySoon()
        case .hostOnline(let births):
            if !births.isEmpty { logger.info("primary host online; births published, stored values follow") }
            outbox.replaySoon()
        case .hostOffline:
            logger.warning("primary host offline; NDEATH published, values kept until it is back; reconnecting to rebirth then")
            DispatchQueue.global().async { [weak self] in self?.reconnect() }
        case .refused(let refusal):
            // Once per kind: a malformed NCMD, a refused NCMD write, a DCMD per device.
            logOnce(refusal.device.map { "DCMD \($0)" } ?? (refusal.metrics.isEmpty ? "NCMD malformed" : "NCMD write"), "\(refusal)")
        case .ignored(let reason):
            logger.debug("Sparkplug: \(reason)")
        }
    }

    /// A new connection with a new bdSeq (off the network thread: `disconnect` joins it).
    private func reconnect() {
        guard !stopping.load(ordering: .relaxed) else { return }
        client.disconnect()
        session.disconnected()
        do {
            try prepareWill()
            try client.connect()
        } catch {
            logger.error("Sparkplug: cannot reconnect: \(error)")
        }
    }

    private func logOnce(_ key: String, _ message: String) {
        let first = loggedOnce.withLock { $0.insert(key).inserted }
        if first { logger.warning("Sparkplug: \(message) (logged once)") }
    }

    // MARK: - EngineTap (engine thread)

    public func samples(_ samples: UnsafeBufferPointer<Sample>) {
        feed.withLock { feed in
            for sample in samples { feed.add(sample) }
        }
    }

    public func metric(_ update: MetricUpdate) {
        feed.withLock { $0.add(update) }
    }

    public func passEnded(now: Instant, pollers: [BusPoller], queue: SampleQueue) {
        // Empty unless the host cannot get this pass live (no allocation on the steady path).
        var kept: [OutboxMessage] = []
        feed.withLock { feed in
            feed.flush { device, updates in
                let refusedBefore = handover.refusals
                let keptBefore = kept.count
                do throws(SparkplugError) {
                    try session.deviceDataOrKeep(device, updates) { device, changes in kept.append(outbox.keep(device, changes)) }
                } catch {
                    logOnce("data \(device) \(error.code)", "\(error)")
                }
                if handover.refusals != refusedBefore, kept.count == keptBefore {
                    // The link went between the check and the send: this pass's values wait like the next ones.
                    kept.append(outbox.keep(device, updates))
                    session.holdBacklog()
                }
            }
            for change in feed.healthChanges(pollers) {
                do throws(SparkplugError) {
                    if change.up { try session.deviceUp(change.device) } else { try session.deviceDown(change.device) }
                    logger.info("Sparkplug device \(change.up ? "back (DBIRTH)" : "down (DDEATH)")", metadata: ["device": "\(change.device)"])
                } catch {
                    logOnce("health \(change.device)", "\(error)")
                }
            }
        }
        outbox.store(kept)
        publishFigures(now: now, pollers: pollers, queue: queue)
        awaitFirstValues(now: now, pollers: pollers)
    }

    public var nextDueMonoNanos: Int64 {
        min(figures.withLock { $0.nextMono }, readiness.withLock { $0.deadlineMono } ?? .max)
    }

    /// Until the births may carry values (see `BirthReadiness`); nothing to do once they could.
    private func awaitFirstValues(now: Instant, pollers: [BusPoller]) {
        guard !readiness.withLock({ $0.isReady }) else { return }
        let (polled, updates) = feed.withLock { ($0.everyMeterPolled(pollers), $0.lineUpdates) }
        guard readiness.withLock({ $0.passEnded(nowMono: now.monoNanos, everyMeterPolled: polled, metricUpdates: updates) }) else { return }
        session.valuesArrived()
        outbox.replaySoon()
        logger.info("Sparkplug first values in; births may go out", metadata: ["born": "\(session.isBorn)"])
    }

    /// The session as `plantgate status` shows it.
    public var status: SparkplugStatus {
        let state = session.state
        let figures = outbox.figures
        return SparkplugStatus(
            groupID: configuration.groupID, edgeNodeID: configuration.edgeNodeID, connected: linkUp.load(ordering: .relaxed),
            born: state.born, birthDeathSequence: state.birthDeathSequence.map(Int.init), awaitingFirstValues: state.awaitsFirstValues,
            primaryHostID: configuration.primaryHostID, primaryHostOnline: state.primaryHostOnline,
            storedRecords: figures.waiting, droppedRecords: figures.dropped)
    }

    /// The gateway's own figures as NDATA, every 10 s (the first at once, for the NBIRTH values).
    private func publishFigures(now: Instant, pollers: [BusPoller], queue: SampleQueue) {
        let due = figures.withLock { figures in
            guard now.monoNanos >= figures.nextMono else { return false }
            figures.nextMono = now.monoNanos + 10_000_000_000
            return true
        }
        guard due else { return }
        let devices = pollers.flatMap { $0.monitor.snapshot.devices }
        let time = UInt64(max(0, now.wallNanos / 1_000_000))
        let updates: [SparkplugValueUpdate] = [
            SparkplugValueUpdate(metric: "gateway/version", value: .string(version), quality: .good, timestampMs: time),
            SparkplugValueUpdate(metric: "gateway/devices", value: .int64(Int64(devices.count)), quality: .good, timestampMs: time),
            SparkplugValueUpdate(metric: "gateway/devices_up", value: .int64(Int64(devices.filter(\.up).count)), quality: .good, timestampMs: time),
            SparkplugValueUpdate(metric: "gateway/queue_depth", value: .int64(Int64(queue.depth)), quality: .good, timestampMs: time),
            SparkplugValueUpdate(metric: "gateway/queue_dropped", value: .int64(Int64(queue.dropped)), quality: .good, timestampMs: time),
            SparkplugValueUpdate(metric: "gateway/rss_mb", value: .double(HealthReporter.residentMegabytes()), quality: .good, timestampMs: time),
        ]
        do throws(SparkplugError) {
            try session.nodeData(updates)
        } catch {
            logOnce("node figures", "\(error)")
        }
    }
}
