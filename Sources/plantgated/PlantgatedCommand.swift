import ArgumentParser
import Foundation
import Gateway
import Logging
import PlantModel

/// The plantgate daemon: polls the plant's Modbus meters, computes ESG metrics, publishes over MQTT.
@main
struct PlantgatedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plantgated",
        abstract: "Poll Modbus meters, compute energy, water and emissions metrics, publish them over MQTT.",
        discussion: """
            Runs in the foreground under systemd (Type=notify). SIGHUP reloads the configuration (validated \
            first; a bad one keeps the old running), SIGTERM stops cleanly. Logs go to stderr with syslog \
            priority prefixes for journald.
            Exit status: 0 clean stop, 73 state directory not writable, 75 another plantgated already runs on the \
            same state directory (it is left untouched), 78 invalid configuration.
            """,
        version: "0.1.0"
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("The configuration file.", valueName: "file"), completion: .file(extensions: ["yaml", "yml"]))
    var config = "/etc/plantgate/plantgate.yaml"

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error (overrides log_level in the config).", valueName: "level"))
    var logLevel: String?

    @Flag(help: "Validate the configuration and exit (0 valid, 78 invalid).")
    var check = false

    @Flag(help: "Rotate the ledger's signing key with the daemon stopped, then exit (what `plantgate ledger rotate-key` runs when no daemon answers).")
    var rotateLedgerKey = false

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        // The runtime's and the argument parser's set-up is over; the config parse comes next. A one-shot
        // run (--check, key rotation) exits before it would matter.
        if !check && !rotateLedgerKey { StartupPages.release(after: .runtime) }
        // Scoped: the parsed config must not live on in this async frame while the daemon runs; the daemon
        // takes the plan (`first`, emptied by the hand-over).
        let configured: LogLevel
        var first: (plan: PlantPlan, revision: String)?
        do {
            guard let (loaded, revision) = GatewayDaemon.load(config) else { throw ExitCode(GatewayDaemon.ExitCode.config) }
            if check {
                print(loaded.plan.summary)
                return
            }
            if rotateLedgerKey {
                let status = LedgerKeyRotation.run(plan: loaded.plan)
                if status != 0 { throw ExitCode(status) }
                return
            }
            configured = loaded.plan.logLevel
            first = (loaded.plan, revision)
        }
        let level = logLevel.flatMap(Logger.Level.init(rawValue:)) ?? Logger.Level(rawValue: configured.rawValue) ?? .info
        let prefix = JournalLogHandler.preferredPrefix(environment: ProcessInfo.processInfo.environment)
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, logLevel: level, prefix: prefix) }
        let logger = Logger(label: "plantgated")
        // The plant clock is decided here, once: every part is handed it, none reads the environment.
        let clock: PlantClock
        do throws(SimulatedClockError) {
            clock = try PlantClock.from(environment: ProcessInfo.processInfo.environment, real: SystemClock.now())
        } catch {
            logger.error("\(error); not starting (exit 78)")
            throw ExitCode(GatewayDaemon.ExitCode.config)
        }
        let daemon = GatewayDaemon(configPath: config, version: Self.configuration.version, logger: logger, clock: clock, loaded: first.take())
        let status = await daemon.run()
        if status != 0 { throw ExitCode(status) }
    }
}
