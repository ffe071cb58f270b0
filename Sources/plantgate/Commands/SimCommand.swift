import ArgumentParser
import Foundation
import Modbus
import ModbusProtocol
import PlantModel
import Simulator

/// `plantgate sim`: serves a simulated plant over Modbus TCP (and RTU), with ground truth and faults.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Serve a simulated plant's meters over Modbus (TCP, and RTU with --rtu).",
        discussion: """
            Scenarios: \(PlantScenario.names.joined(separator: ", ")). Bus mcc is served on the --listen port, bus field \
            on the next port (several unit ids behind each port, as behind a gateway); --rtu serves bus field on \
            serial lines too. --sites N serves N copies on consecutive port pairs with seeds SEED, SEED+1, ...

            Runs until SIGINT or SIGTERM, and stops within 2 s at any speed. Faults: --faults FILE (see \
            Deploy/scenarios/) and --fault METER:KIND[=ARG]@START[+DURATION], e.g. pm-aux:timeout@10s+20s, \
            pm-main:exception=2/3109@0s. Accelerated runs print the PLANTGATE_SIMULATED_CLOCK value that puts \
            plantgated on the same plant clock (docs/simulator.md).

            Exit codes: 0 stopped by a signal, 2 usage, 69 port busy or serial device unavailable, 78 bad fault file.
            """
    )

    @Argument(help: "The scenario (same as --scenario).") var scenarioArgument: String?
    @Option(name: .customLong("scenario"), help: "lithium-hydroxide, hydromet-copper or meter-shelf.") var scenarioOption: String?
    @Option(help: "HOST:PORT of bus mcc; bus field is on PORT+1 (site n of --sites on PORT+2(n-1) and the next).") var listen = "127.0.0.1:1502"
    @Option(help: "Serve this many copies of the scenario (seeds SEED, SEED+1, ...; TCP only).") var sites = 1
    @Option(help: "Serial device(s) serving bus field, comma-separated.") var rtu: String?
    @Option(help: "Serial baud rate.") var baud = 19200
    @Option(help: "Serial parity: N, E or O.") var parity = "E"
    @Option(help: "Time acceleration: simulated seconds per real second (1440: a plant day in a minute).") var speed = 1.0
    @Option(help: "Seed of the noise (same seed, same plant).") var seed: UInt64 = 1
    @Option(help: "Simulated start time, RFC 3339 (default: the anchor).") var start: String?
    @Option(help: "Real time, RFC 3339, at which the plant is at --start (default: now); give plantgated the same.") var anchor: String?
    @Option(help: "Append a ground-truth JSON line to this file every --truth-interval of simulated time ({site} or -N per site).") var truth: String?
    @Option(name: .customLong("truth-interval"), help: "Simulated time between truth lines (default: 1s, longer above 20× to stay near 20 lines a real second).")
    var truthInterval: String?
    @Option(help: "Fault schedule file (YAML).") var faults: String?
    @Option(name: .customLong("fault"), help: "A fault: METER:KIND[=ARG]@START[+DURATION] (repeatable).") var faultFlags: [String] = []
    @Option(name: .customLong("initial"), help: "An initial counter: METER/COUNTER=VALUE (repeatable).") var initialFlags: [String] = []
    @Option(name: .customLong("tankhouse-step"),
            help: "TIME=FACTOR: from simulated time TIME (RFC 3339) the hydromet-copper tankhouse's cell voltage is FACTOR times its own (an energy-efficiency step).")
    var tankhouseStep: String?

    func run() async throws {
        let setup = try prepare()
        var served: [PlantServers] = []
        for site in setup.sites {
            do {
                let servers = try PlantServers(simulation: site.simulation, host: setup.host, mccPort: site.port, fieldPort: site.port + 1, serial: setup.serial)
                try servers.start()
                served.append(servers)
            } catch {
                for servers in served { servers.stop() }
                let which = setup.sites.count > 1 ? "site \(site.number): " : ""
                fail("\(which)cannot serve on \(error.target) (\(error.operation)): \(error.detail.isEmpty ? error.description : error.detail)", code: 69)
            }
        }
        var runners: [SimulationRunner] = []
        for (site, servers) in zip(setup.sites, served) {
            for line in servers.descriptions { say(site.label + line) }
            runners.append(SimulationRunner(simulation: site.simulation, servers: servers, truthPath: site.truthPath,
                                            truthInterval: setup.truthInterval, speed: speed, label: site.label))
        }
        say(setup.banner)
        if let clockLine = setup.clockLine { say(clockLine) }
        let loop = RunnerLoop(runners: runners)
        loop.start()
        await SimSignals.wait(for: [SIGINT, SIGTERM])
        SimSignals.exitIfStillRunning(after: .milliseconds(1500))
        loop.stop()
        for servers in served { servers.stop() }
        for runner in runners { say(runner.stopSummary) }
    }

    func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data(("plantgate sim: " + message + "\n").utf8))
        Foundation.exit(code)
    }
}
