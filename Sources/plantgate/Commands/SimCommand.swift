import ArgumentParser
import Dispatch
import Foundation
import Modbus
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
            serial lines too. Runs until SIGINT or SIGTERM.

            Faults: --faults FILE (see Deploy/scenarios/) and --fault METER:KIND[=ARG]@START[+DURATION], e.g. \
            pm-aux:timeout@10s+20s, pm-main:exception=2/3109@0s.

            Exit codes: 0 stopped by a signal, 2 usage, 69 port busy or serial device unavailable, 78 bad fault file.
            """
    )

    @Argument(help: "The scenario (same as --scenario).") var scenarioArgument: String?
    @Option(name: .customLong("scenario"), help: "lithium-hydroxide or hydromet-copper.") var scenarioOption: String?
    @Option(help: "HOST:PORT of bus mcc; bus field is on PORT+1.") var listen = "127.0.0.1:1502"
    @Option(help: "Serial device(s) serving bus field, comma-separated.") var rtu: String?
    @Option(help: "Serial baud rate.") var baud = 19200
    @Option(help: "Serial parity: N, E or O.") var parity = "E"
    @Option(help: "Time acceleration: simulated seconds per real second.") var speed = 1.0
    @Option(help: "Seed of the noise (same seed, same plant).") var seed: UInt64 = 1
    @Option(help: "Simulated start time, RFC 3339 (default: now).") var start: String?
    @Option(help: "Append a ground-truth JSON line to this file every --truth-interval of simulated time.") var truth: String?
    @Option(name: .customLong("truth-interval"), help: "Simulated time between truth lines.") var truthInterval = "1s"
    @Option(help: "Fault schedule file (YAML).") var faults: String?
    @Option(name: .customLong("fault"), help: "A fault: METER:KIND[=ARG]@START[+DURATION] (repeatable).") var faultFlags: [String] = []
    @Option(name: .customLong("initial"), help: "An initial counter: METER/COUNTER=VALUE (repeatable).") var initialFlags: [String] = []

    func run() async throws {
        let setup = try prepare()
        let servers: PlantServers
        do {
            servers = try PlantServers(simulation: setup.simulation, host: setup.host, mccPort: setup.port, fieldPort: setup.port + 1, serial: setup.serial)
            try servers.start()
        } catch {
            fail("cannot serve on \(error.target) (\(error.operation)): \(error.detail.isEmpty ? error.description : error.detail)", code: 69)
        }
        for line in servers.descriptions { say(line) }
        say("scenario \(setup.simulation.withPlant(at: 0) { plant, _ in plant.name }) seed \(seed) speed \(speed)×, simulated start \(TruthRecord.timestamp(setup.simulation.start))")
        let runner = SimulationRunner(simulation: setup.simulation, servers: servers, truthPath: truth, truthInterval: setup.truthInterval, speed: speed)
        await runner.run { await SignalWaiter.wait(for: [SIGINT, SIGTERM]) }
        servers.stop()
        say("stopped; requests by function code: " + SimulationRunner.summary(servers.requestCounts))
    }

    struct Setup {
        var simulation: Simulation
        var host: String
        var port: Int
        var serial: [Modbus.SerialSettings]
        var truthInterval: Double
    }

    /// Checks every option; exits 2 (usage) or 78 (fault file) with the fix.
    func prepare() throws -> Setup {
        guard let name = scenarioOption ?? scenarioArgument else {
            fail("no scenario; give --scenario NAME with one of: \(PlantScenario.names.joined(separator: ", "))", code: 2)
        }
        if let a = scenarioOption, let b = scenarioArgument, a != b {
            fail("two scenarios given (\(b) and --scenario \(a)); give one", code: 2)
        }
        var startDate = Date()
        if let start {
            guard let parsed = ISO8601DateFormatter().date(from: start) else {
                fail("--start \(start) is not an RFC 3339 time; write e.g. 2025-06-01T00:00:00Z", code: 2)
            }
            startDate = parsed
        }
        guard let scenario = PlantScenario.named(name, start: startDate, seed: seed) else {
            fail("unknown scenario '\(name)'; the scenarios are: \(PlantScenario.names.joined(separator: ", "))", code: 2)
        }
        let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (0...65534).contains(port) else {
            fail("--listen \(listen) is not HOST:PORT with PORT 0…65534 (bus field uses PORT+1); write e.g. 127.0.0.1:1502", code: 2)
        }
        guard speed.isFinite, speed > 0, speed <= 100_000 else { fail("--speed \(speed) must be > 0 and ≤ 100000", code: 2) }
        guard let interval = DurationText.parse(truthInterval).map(DurationText.seconds), interval > 0 else {
            fail("--truth-interval \(truthInterval) is not a positive duration; write e.g. 1s, 250ms, 1m", code: 2)
        }
        guard let parity = Modbus.SerialSettings.Parity(rawValue: parity.uppercased()) else { fail("--parity \(parity): use N, E or O", code: 2) }
        let serial = (rtu ?? "").split(separator: ",").map { Modbus.SerialSettings(device: String($0), baud: baud, parity: parity) }
        var schedule = FaultSchedule()
        do throws(FaultScheduleError) {
            if let faults { schedule = try FaultFile.load(path: faults) }
            for flag in faultFlags { schedule.faults.append(try FaultFlag.parse(flag)) }
            for flag in initialFlags { schedule.initial.append(try FaultFlag.parseInitial(flag)) }
            let simulation = try Simulation(scenario: scenario, schedule: schedule, clock: AcceleratedClock(speed: speed))
            return Setup(simulation: simulation, host: String(parts[0]), port: port, serial: serial, truthInterval: interval)
        } catch {
            fail(error.description, code: error.origin.hasPrefix("--") ? 2 : 78)
        }
    }

    func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data(("plantgate sim: " + message + "\n").utf8))
        Foundation.exit(code)
    }
}

/// Waits for the first of some signals, delivered through DispatchSource (the default action is ignored
/// so the process can stop its servers and report before exiting).
private enum SignalWaiter {
    static func wait(for signals: [Int32]) async {
        for number in signals { signal(number, SIG_IGN) }
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let sources = signals.map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        for await _ in stream { break }
        for source in sources { source.cancel() }
    }
}
