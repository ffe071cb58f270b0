import Ledger
import Logging
import PlantModel
import POSIX
import ServiceLifecycle
import Synchronization

/// The parts one configuration runs: built and started together by `GatewayDaemon.start`, then held by a
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
    /// publisher last, so that everything before it reaches the spool. Stopping blocks (threads joined,
    /// SQLite closed), so it runs through `BlockingWork`, never on the cooperative pool.
    func services(logger: Logger) -> ServiceGroup {
        var parts = [
            StopOnShutdown { [self] in
                if handover.withLock({ $0.keepsPublisher }) { return }
                await publisher.stop(drainTimeout: .seconds(5))
            },
            StopOnShutdown { [self] in
                let event = handover.withLock { $0.event }
                await BlockingWork.run("plantgated") { [ledger] in
                    if let event { ledger.append(event) }
                    ledger.close()
                }
            },
        ]
        if let sparkplug { parts.append(StopOnShutdown { await BlockingWork.run("plantgated") { sparkplug.stop() } }) }
        parts.append(StopOnShutdown { [self] in
            let kept = handover.withLock { $0.pollers }
            await BlockingWork.run("plantgated") { [runtime] in runtime.stop(keeping: kept) }
        })
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
