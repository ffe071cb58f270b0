import ConfigFiles
import ControlProtocol
import ESG
import Foundation
import Glibc
import Ledger
import Logging
import Outbox
import PlantModel
import POSIX
import ServiceLifecycle
import Synchronization

/// `plantgated`'s life: load and validate the config, run pollers, engine, publisher and control
/// socket, tell systemd how it goes, reload on SIGHUP, and stop cleanly on SIGTERM.
///
/// The daemon is one `ServiceGroup`: the plant (a `PlantSupervisor` running the current configuration's
/// `Generation`), the control socket, the watchdog and the status line. SIGTERM and SIGINT shut it down
/// gracefully in reverse order, within `maximumStopDuration`; the order a generation's parts stop in is
/// written once, in `Generation.services`.
///
/// Rule: no async function here waits on a semaphore, joins a thread or makes a blocking call (SQLite,
/// file reads, a poller's stop): such work goes through `BlockingWork`, on a thread of its own, and is
/// awaited. The cooperative pool has as many threads as cores; one blocked thread is half this machine's.
/// `Deploy/check-async.sh` keeps the rule (CI runs it).
public final class GatewayDaemon: Sendable {
    /// sysexits(3) codes the daemon ends with.
    public enum ExitCode {
        public static let ok: Int32 = 0
        public static let software: Int32 = 70
        public static let cantCreate: Int32 = 73
        /// Another plantgated runs on the same state directory (EX_TEMPFAIL).
        public static let alreadyRunning: Int32 = 75
        public static let config: Int32 = 78
    }

    /// Graceful shutdown beyond this is cut short by cancellation: under systemd's TimeoutStopSec=20s, so
    /// the daemon, not SIGKILL, ends a stop that hangs.
    static let maximumStopDuration: Duration = .seconds(15)

    private struct StartFailure: Error {
        var status: Int32
    }

    public let configPath: String
    public let version: String
    private let logger: Logger
    private let notifier: SystemdNotifier
    /// The plant clock, decided once by the caller (main reads the environment).
    private let clock: PlantClock
    private let current = RunningSlot()
    private let started = SystemClock.now()
    private let frozen = Atomic<Bool>(false)
    /// Held from the first start to the end of the process.
    private let stateLock = Mutex<StateDirectoryLock?>(nil)

    /// The first plan when the caller has loaded the file already (`plantgated` does, for the log level):
    /// taken once by `startFirst`, so the file is parsed once and no frame keeps the plan past a reload.
    private let preloaded: Mutex<(plan: PlantPlan, revision: String)?>

    /// - Parameter loaded: the plan of `configPath` and its revision, as `load` returned them; nil loads the file.
    public init(configPath: String, version: String, logger: Logger, notifier: SystemdNotifier = SystemdNotifier(), clock: PlantClock = .real,
                loaded: (plan: PlantPlan, revision: String)? = nil) {
        self.clock = clock
        self.configPath = configPath
        self.version = version
        self.logger = logger
        self.notifier = notifier
        self.preloaded = Mutex(loaded)
    }

    /// Loads a config file and reports every finding; nil when it cannot run. The revision is the plan's:
    /// of the very bytes that were parsed.
    public static func load(_ path: String) -> (LoadedConfig, String)? {
        switch ConfigFiles.load(path) {
        case .success(let loaded):
            return (loaded, loaded.plan.revision)
        case .failure(let diagnostics):
            FileHandle.standardError.write(Data((diagnostics.description + "\n").utf8))
            return nil
        }
    }

    /// Start, reload and stop work that blocks (threads joined, SQLite, the config file), off the cooperative
    /// pool. Threads started from it (the MQTT client's) inherit its name: the process's, as in any daemon.
    private static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await BlockingWork.run("plantgated", body)
    }

    /// `load`, keeping only the compiled plan (see `startFirst`).
    private static func loadPlan(_ path: String) -> (PlantPlan, String)? {
        guard let (loaded, revision) = load(path) else { return nil }
        return (loaded.plan, revision)
    }

    /// Runs until SIGTERM or SIGINT; returns the process exit status.
    public func run() async -> Int32 {
        // Watched before anything starts: a stop or reload sent while the daemon starts waits for it.
        let stops = await SignalEvents.stream([SIGTERM, SIGINT])
        let reloads = await SignalEvents.stream([SIGHUP, SIGUSR1])
        signal(SIGPIPE, SIG_IGN)
        announcePlantClock()
        // Only what is needed here is kept: a plan held by this frame would outlive every reload.
        let first: Generation
        switch await Self.offPool({ self.startFirst() }) {
        case .success(let generation):
            first = generation
            current.withLock { $0 = generation }
        case .failure(let code):
            return code.status
        }
        let counts: Logger.Metadata = [
            "devices": "\(first.plan.buses.reduce(0) { $0 + $1.devices.count })",
            "tags": "\(first.plan.tags.count)", "lines": "\(first.plan.lines.count)",
        ]
        var services: [any Service] = [PlantSupervisor(daemon: self, first: first, signals: reloads, logger: logger)]
        if let control = controlServer(path: first.plan.controlSocket) {
            services.append(StopOnShutdown { await Self.offPool { control.stop() } })
        }
        services.append(WatchdogPacer(notifier: notifier, logger: logger) { [current] in
            current.withLock { $0?.runtime.isProgressing(limitNanos: 10_000_000_000) ?? false }
        })
        services.append(SystemdStatusService(notifier: notifier, logger: logger) { self.statusLine() })
        var configuration = ServiceGroupConfiguration(services: services, logger: logger)
        configuration.maximumGracefulShutdownDuration = Self.maximumStopDuration
        let group = ServiceGroup(configuration: configuration)
        try? notifier.ready(status: statusLine())
        logger.info("plantgated \(version) running", metadata: counts.merging(["config": "\(configPath)"]) { $1 })
        // A signal that came during start-up is in the stream already: the group stops as soon as it runs.
        let stopOnSignal = Task { [logger] in
            for await number in stops {
                logger.info("\(number == SIGINT ? "SIGINT" : "SIGTERM"): stopping")
                await group.triggerGracefulShutdown()
                return
            }
        }
        defer { stopOnSignal.cancel() }
        do {
            try await group.run()
        } catch {
            logger.error("stopped on an error: \(error)")
            return ExitCode.software
        }
        logger.info("stopped")
        return ExitCode.ok
    }

    // MARK: - Parts

    /// Loads the config and starts on it. Synchronous, so the parsed config (every tag's settings and
    /// its source map) is released here rather than living on in `run`'s async frame.
    private func startFirst() -> Result<Generation, StartFailure> {
        guard let (plan, revision) = preloaded.withLock({ $0.take() }) ?? Self.loadPlan(configPath) else {
            logger.error("configuration \(configPath) is invalid; not starting (exit 78)")
            return .failure(StartFailure(status: ExitCode.config))
        }
        for warning in plan.warnings { logger.warning("\(warning)") }
        releaseStartupPages(after: .configuration)
        do {
            let generation = try start(plan, revision: revision, snapshotFrom: nil)
            releaseStartupPages(after: .start)
            return .success(generation)
        } catch let error as StateDirectoryLockError {
            logger.error("\(error)")
            if case .held = error { return .failure(StartFailure(status: ExitCode.alreadyRunning)) }
            return .failure(StartFailure(status: ExitCode.cantCreate))
        } catch {
            logger.error("\(error)")
            return .failure(StartFailure(status: ExitCode.cantCreate))
        }
    }

    /// - Parameters:
    ///   - previous: the publisher to keep using (a reload with the same MQTT settings).
    ///   - retired: the runtime this one replaces, already stopped except for the pollers it can hand over.
    ///   - earlier: the figures of a publisher replaced on this reload, whose counts run on.
    private func start(_ plan: PlantPlan, revision: String, snapshotFrom previous: Publisher?, adopting retired: PlantRuntime? = nil,
                       continuing earlier: PublisherStats = PublisherStats()) throws -> Generation {
        let stateDirectory = plan.stateDirectory
        try lockStateDirectory(stateDirectory)
        let store: StateStore
        do {
            store = try StateStore(directory: stateDirectory)
        } catch {
            throw DaemonError("state directory \(stateDirectory): \(error); check that it exists and is writable by the service user (StateDirectory=plantgate)")
        }
        let publisher: Publisher
        if let previous {
            publisher = previous
        } else {
            let options = try PublisherOptions.from(plan.mqtt, siteID: plan.site.id, version: version,
                                                    started: Date(timeIntervalSince1970: started.wallSeconds))
            let spool = try Spool(path: (stateDirectory as NSString).appendingPathComponent("spool.sqlite"), limits: options.limits)
            publisher = try Publisher(options: options, spool: spool, logger: logger, continuing: earlier)
            try publisher.start()
        }
        let sparkplug = try SparkplugBridge.make(plan: plan, stateDirectory: stateDirectory, version: version, logger: logger)
        let channel = SparkplugBridge.jsonChannel(PublisherChannel(publisher: publisher, publish: plan.mqtt.publish), plan: plan)
        let keyTopic = plan.topics.ledgerKey
        let ledger = try LedgerWriter(directory: stateDirectory, site: plan.site.id, logger: logger, clock: clock) { payload in
            channel.send(topic: keyTopic, payload: payload, kind: .health)
        }
        if retired == nil {
            ledger.append(.started(version: version, revision: revision))
            ledger.noteFactors(of: plan)
        }
        let runtime = PlantRuntime(plan: plan, channel: channel, tap: sparkplug, store: store, logger: logger, revision: revision,
                                   adopting: retired, ledger: ledger, clock: clock)
        do {
            try sparkplug?.start()
            try runtime.start()
        } catch {
            // A reload falls back on the previous configuration, which opens the same ledger and bdSeq store.
            sparkplug?.stop()
            ledger.close()
            throw error
        }
        return Generation(runtime: runtime, publisher: publisher, sparkplug: sparkplug, ledger: ledger, revision: revision, plan: plan)
    }

    /// One phase of start-up is over: its code's pages go back to the kernel (`StartupPages`).
    private func releaseStartupPages(after phase: StartupPages.Phase) {
        let (before, after) = StartupPages.release(after: phase)
        logger.debug("\(phase.rawValue) done: file pages \(before) kB → \(after) kB")
    }

    /// Before anything in `directory` is opened: a second daemon there must leave it untouched.
    private func lockStateDirectory(_ directory: String) throws(StateDirectoryLockError) {
        if stateLock.withLock({ $0?.directory == directory }) { return }
        let lock = try StateDirectoryLock(directory: directory)
        stateLock.withLock { $0 = lock }
    }

    /// SIGHUP, first half: validate the file; a bad or unchanged config leaves `old` running and says why,
    /// once. Otherwise returns the next plan and what `old` hands over to it: the pollers of unchanged buses
    /// (polling on into the shared queue) and, with the same MQTT settings, the publisher.
    func prepareReload(of old: Generation) async -> PendingReload? {
        logger.info("reloading \(configPath)")
        try? notifier.reloading()
        let path = configPath
        guard let (plan, revision) = await Self.offPool({ Self.loadPlan(path) }) else {
            logger.error("reload refused: \(configPath) is invalid (errors above); the previous configuration keeps running")
            try? notifier.ready(status: statusLine())
            return nil
        }
        if revision == old.revision {
            logger.info("configuration unchanged")
            try? notifier.ready(status: statusLine())
            return nil
        }
        let keepsPublisher = plan.mqtt == old.plan.mqtt && plan.site.id == old.plan.site.id
        return PendingReload(plan: plan, revision: revision,
                             handover: Handover(pollers: old.runtime.pollers(reusableBy: plan), keepsPublisher: keepsPublisher, event: nil))
    }

    /// SIGHUP, second half, once `old` has stopped: the engine saved its open periods on stop and the next
    /// runtime restores them, so totals carry over. If the next configuration cannot start, the previous one
    /// is started again; nil only when that fails too (then nothing runs until the daemon is stopped).
    func finishReload(_ next: PendingReload, replacing old: Generation) async -> Generation? {
        defer { try? notifier.ready(status: statusLine()) }
        let kept = next.handover.pollers
        let publisher = next.handover.keepsPublisher ? old.publisher : nil
        let started = await Self.offPool { () -> Result<Generation, any Error> in
            let result = Result {
                try self.start(next.plan, revision: next.revision, snapshotFrom: publisher, adopting: old.runtime, continuing: old.publisher.stats)
            }
            if case .success(let generation) = result {
                generation.ledger.append(.configChanged(from: old.revision, to: next.revision))
                generation.ledger.noteFactors(of: next.plan)
            }
            return result
        }
        switch started {
        case .success(let generation):
            current.withLock { $0 = generation }
            logger.info("configuration reloaded: \(Self.busChanges(from: old.plan, to: next.plan, kept: kept))", metadata: ["revision": "\(next.revision)"])
            return generation
        case .failure(let error):
            logger.error("reload failed: \(error); restarting the previous configuration")
            let restarted = await Self.offPool { () -> Generation? in
                if let generation = try? self.start(old.plan, revision: old.revision, snapshotFrom: publisher, adopting: old.runtime,
                                                    continuing: old.publisher.stats) {
                    return generation
                }
                for poller in kept { poller.stop() }
                return nil
            }
            if let restarted {
                current.withLock { $0 = restarted }
            } else {
                logger.critical("the previous configuration did not start again either; nothing is polled until plantgated is restarted")
                current.withLock { $0 = nil }
                if let publisher { await publisher.stop(drainTimeout: .seconds(5)) }
            }
            return restarted
        }
    }

    /// "kept bus mcc, restarted bus field, added bus x, removed bus y", in config order.
    static func busChanges(from old: PlantPlan, to new: PlantPlan, kept: [BusPoller]) -> String {
        let keptIDs = Set(kept.map(\.plan.bus.id))
        let oldIDs = Set(old.buses.map(\.bus.id))
        let newIDs = Set(new.buses.map(\.bus.id))
        var parts = new.buses.map(\.bus.id).map { id in
            keptIDs.contains(id) ? "kept bus \(id)" : oldIDs.contains(id) ? "restarted bus \(id)" : "added bus \(id)"
        }
        parts += old.buses.map(\.bus.id).filter { !newIDs.contains($0) }.map { "removed bus \($0)" }
        return parts.isEmpty ? "no buses" : parts.joined(separator: ", ")
    }

    /// Says loudly when the plant clock is simulated (test benches only).
    private func announcePlantClock() {
        guard let simulation = clock.simulation else { return }
        let plantNow = UTCTimestamp.rfc3339(clock.now().wallNanos)
        let message = "SIMULATED PLANT CLOCK: samples are stamped and periods cut on a clock running \(simulation.speed)× real time "
            + "(plant time now \(plantNow)); for test benches only, never on a real plant; unset \(SystemClock.simulationVariable) to run on real time"
        logger.warning("\(message)")
    }

    private func controlServer(path: String) -> ControlServer? {
        let composer = StatusComposer(configPath: configPath, startedWallNanos: started.wallNanos, startedMonoNanos: started.monoNanos, version: version,
                                      clock: clock)
        do {
            let server = try ControlServer(path: path, logger: logger) { [current] request in
                guard let running = current.withLock({ $0 }) else {
                    return (try? Array(JSONEncoder().encode(ControlFailure(error: "plantgated is starting")))) ?? []
                }
                let encoder = ControlProtocol.encoder()
                switch request.command {
                case .status:
                    var report = composer.status(runtime: running.runtime, publisher: running.publisher, revision: running.revision)
                    report.sparkplug = running.sparkplug?.status
                    return (try? Array(encoder.encode(report))) ?? []
                case .values:
                    return (try? Array(encoder.encode(composer.values(runtime: running.runtime, request: request)))) ?? []
                case .rotateKey:
                    return LedgerRotation.answer(running.ledger, encoder: encoder)
                }
            }
            do {
                try server.start()
            } catch {
                server.stop()  // closes the socket and removes its file
                throw error
            }
            return server
        } catch {
            logger.warning("\(error); plantgate status and watch will not work")
            return nil
        }
    }

    private func statusLine() -> String {
        guard let running = current.withLock({ $0 }) else { return "starting" }
        let devices = running.runtime.pollers.flatMap { $0.monitor.snapshot.devices }
        let stats = running.publisher.stats
        return "devices \(devices.filter(\.up).count)/\(devices.count) up, broker \(stats.connected ? "connected" : "away"), spool \(stats.spoolDepth) on disk, \(stats.memoryDepth) in memory"
    }

    /// Debug hook (PLANTGATE_DEBUG_HOOKS=1): SIGUSR1 freezes or thaws every bus thread, to prove the
    /// watchdog notices a stuck loop.
    func toggleFreezeForTests() {
        guard ProcessInfo.processInfo.environment["PLANTGATE_DEBUG_HOOKS"] == "1",
              let running = current.withLock({ $0 }) else { return }
        let freeze = !frozen.load(ordering: .relaxed)
        frozen.store(freeze, ordering: .relaxed)
        for poller in running.runtime.pollers { poller.setFrozen(freeze) }
        logger.warning("debug hook: bus threads \(freeze ? "frozen" : "thawed")")
    }
}

/// The generation running now, swapped on reload; shared with the control socket and the watchdog.
private final class RunningSlot: Sendable {
    private let value = Mutex<Generation?>(nil)
    func withLock<R>(_ body: (inout Generation?) -> R) -> R { value.withLock { body(&$0) } }
}

/// A failure to start, in words for the operator.
struct DaemonError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
