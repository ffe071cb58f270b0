import Ledger
import Logging
import PlantModel
import ServiceLifecycle
import Synchronization

/// The parts one configuration runs: built and started together by `GatewayDaemon.build`, then held by a
/// `ServiceGroup` of their services until graceful shutdown, when the group stops them in reverse order.
///
/// A part starts when it is built, not in its service's `run()`: a reload whose parts cannot start is then
/// refused before anything is swapped, and the previous configuration is started again.
final class Generation: Sendable {
    let runtime: PlantRuntime
    let publisher: Publisher
    let sparkplug: SparkplugBridge?
    let ledger: LedgerWriter
    let revision: String
    /// Only the plan: the parsed config and its source map are dropped once it is compiled.
    let plan: PlantPlan
    /// What stopping this generation leaves running; a reload sets it before the group is shut down.
    let handover = Mutex(Handover.none)

    init(runtime: PlantRuntime, publisher: Publisher, sparkplug: SparkplugBridge?, ledger: LedgerWriter, revision: String, plan: PlantPlan) {
        self.runtime = runtime
        self.publisher = publisher
        self.sparkplug = sparkplug
        self.ledger = ledger
        self.revision = revision
        self.plan = plan
    }

    /// The one order parts start in; the group stops them in reverse: polling first (the buses a reload
    /// keeps go on), the engine saving its state, the ledger's last event, Sparkplug's goodbye, and the
    /// publisher last, so that everything before it reaches the spool.
    func services(logger: Logger) -> ServiceGroup {
        var parts: [any Service] = [PublisherPart(generation: self), LedgerPart(generation: self)]
        if sparkplug != nil { parts.append(SparkplugPart(generation: self)) }
        parts.append(RuntimePart(generation: self))
        return ServiceGroup(services: parts, logger: logger)
    }
}

/// What a stopping generation leaves to the next one, and the ledger event its stop records.
struct Handover: Sendable {
    /// Pollers of buses the next configuration polls unchanged: they go on polling.
    var pollers: [BusPoller] = []
    /// The next configuration has the same MQTT settings and publishes through the same publisher.
    var keepsPublisher = false
    var event: LedgerEvent?

    /// A stop of the daemon: nothing is handed over.
    static let none = Handover(event: .stopped(reason: "signal"))
}
