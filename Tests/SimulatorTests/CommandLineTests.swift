import Foundation
import Modbus
import ModbusProtocol
import Simulator
import TestSupport
import Testing

/// The built `plantgate sim` executable, run as a child process.
@Suite("plantgate sim end to end")
struct CommandLineTests {
    static let executable = ProfileReadTests.packageRoot.appendingPathComponent(".build/debug/plantgate").path
    static var built: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// Two consecutive free ports (bus mcc, bus field).
    static func portPair() throws -> Int {
        for _ in 0..<20 {
            let port = try FreePort.tcp()
            if port < 65_000, !FreePort.isAccepting(port + 1) { return port }
        }
        throw TestSupportError("no free pair of consecutive ports")
    }

    /// Starts `plantgate sim` on a free port pair and waits until both ports accept. Parallel tests can
    /// take a port between the check and the bind; the sim then exits 69 and another pair is tried.
    static func spawnSim(_ arguments: (Int) -> [String], output: String) async throws -> (ChildProcess, Int) {
        for _ in 0..<3 {
            let port = try portPair()
            let child = try ChildProcess.spawn(executable, arguments(port), outputPath: output, errorPath: output)
            let up = await eventually(timeout: .seconds(10)) { !child.isRunning || (FreePort.isAccepting(port) && FreePort.isAccepting(port + 1)) }
            if up && child.isRunning { return (child, port) }
            child.signal(SIGKILL)
            guard child.exitCode == 69 else { break }
        }
        let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        throw TestSupportError("plantgate sim did not start listening: \(log)")
    }

    @Test(.enabled(if: built)) func servesBothBusesWritesTruthAndStopsOnSIGTERM() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sim-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out").path, truth = scratch.appendingPathComponent("truth.jsonl").path
        let (child, port) = try await Self.spawnSim({ port in
            ["sim", "--scenario", "lithium-hydroxide", "--listen", "127.0.0.1:\(port)", "--speed", "60",
             "--seed", "4", "--truth", truth, "--truth-interval", "5s", "--fault", "pm-aux:timeout@0s"]
        }, output: out)
        defer { child.signal(SIGKILL) }
        let mcc = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port), timeouts: ModbusTimeouts(response: 1))
        try mcc.connect()
        let frequency = SimFixture.decode(try mcc.readRegisters(.holding, unit: 1, address: 3109, count: 2), profile: "schneider-pm5xxx", tag: "frequency")
        #expect(abs(frequency - 50) <= 0.05)
        let field = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port + 1), timeouts: ModbusTimeouts(response: 1))
        try field.connect()
        let gas = SimFixture.decode(try field.readRegisters(.holding, unit: 6, address: 0, count: 2), profile: "gas-ek", tag: "flow_corrected")
        #expect(abs(gas - 5_000) < 750)
        #expect(await eventually(timeout: .seconds(10)) { ((try? String(contentsOfFile: truth, encoding: .utf8)) ?? "").split(separator: "\n").count >= 3 })
        child.signal(SIGTERM)
        #expect(await child.waitForExit(timeout: .seconds(10)))
        #expect(child.exitCode == 0)
        let log = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        #expect(log.contains("serving bus mcc on 127.0.0.1:\(port): pm-main unit 1, pm-aux unit 3"))
        #expect(log.contains("serving bus field on 127.0.0.1:\(port + 1): fm-intake unit 2"))
        #expect(log.contains("fault starts: pm-aux timeout"))
        #expect(log.contains("requests by function code:") && log.contains("FC3="))
        let lines = try String(contentsOfFile: truth, encoding: .utf8).split(separator: "\n")
        let first = try #require(JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        let simTime = try #require(first["sim_time"] as? String)
        #expect(simTime.hasSuffix("Z") && simTime.contains("."))
        let meters = try #require(first["meters"] as? [String: Any])
        let main = try #require(meters["pm-main"] as? [String: Any])
        let counters = try #require(main["counters"] as? [String: Double])
        // 5 simulated seconds at ~8.8 MW ≈ 12.2 kWh.
        #expect(abs((counters["import_wh"] ?? 0) - 12_222) < 2_000)
    }

    @Test(.enabled(if: built)) func unknownScenarioIsAUsageErrorListingTheScenarios() async throws {
        let result = try await ProcessRunner.run(Self.executable, ["sim", "--scenario", "copper-smelter"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("lithium-hydroxide") && result.standardError.contains("hydromet-copper"))
    }

    @Test(.enabled(if: built), arguments: [
        (["hydromet-copper", "--tankhouse-step", "2026-04-16=0.95"], "--tankhouse-step 2026-04-16 is not an RFC 3339 time"),
        (["hydromet-copper", "--tankhouse-step", "2026-04-16T00:00:00+05:00=0"], "is not TIME=FACTOR; write e.g. 2026-04-16T00:00:00+05:00=0.95"),
        (["lithium-hydroxide", "--tankhouse-step", "2026-04-16T00:00:00+05:00=0.95"], "scenario lithium-hydroxide has none"),
    ])
    func aBadTankhouseStepIsAUsageError(arguments: [String], expected: String) async throws {
        let result = try await ProcessRunner.run(Self.executable, ["sim"] + arguments + ["--listen", "127.0.0.1:0"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains(expected), "\(result.standardError)")
    }

    @Test func aTankhouseStepLowersTheCellVoltageFromItsInstantOn() {
        let step = TankhouseStep(atEpoch: 1_776_279_600, factor: 0.95)  // 2026-04-16T00:00:00+05:00
        var tankhouse = PlantScenario.copperTankhouse
        tankhouse.step = step
        let curve = ProcessCurve(startEpoch: step.atEpoch - 3600, utcOffsetHours: 5, seed: 21)
        for t in [0.0, 1_800, 3_599, 3_600, 7_200] {
            let ratio = tankhouse.cellVolts(at: t, curve: curve) / PlantScenario.copperTankhouse.cellVolts(at: t, curve: curve)
            #expect(abs(ratio - (t < 3_600 ? 1 : 0.95)) < 1e-12, "at \(t) s: \(ratio)")
        }
    }

    @Test(.enabled(if: built)) func busyPortIsUnavailable() async throws {
        let port = try Self.portPair()
        let blocker = try ModbusTCPServer(port: port, handler: NobodyHome())
        blocker.start()
        defer { blocker.stop() }
        let result = try await ProcessRunner.run(Self.executable, ["sim", "lithium-hydroxide", "--listen", "127.0.0.1:\(port)"])
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("already in use"))
    }

    @Test(.enabled(if: built)) func badFaultFileIsAConfigError() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("faults-\(UUID().uuidString.prefix(8)).yaml").path
        try "faults:\n  - {meter: pm-aux, kind: explode}\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try await ProcessRunner.run(Self.executable, ["sim", "lithium-hydroxide", "--listen", "127.0.0.1:\(try Self.portPair())", "--faults", file])
        #expect(result.exitCode == 78)
        #expect(result.standardError.contains(":2: unknown fault kind 'explode'"))
    }

    @Test(.enabled(if: built && FileManager.default.isExecutableFile(atPath: "/usr/bin/mbpoll")))
    func mbpollReadsAFloatRegister() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sim-mbpoll-\(UUID().uuidString.prefix(8)).log").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let (child, port) = try await Self.spawnSim({ ["sim", "hydromet-copper", "--listen", "127.0.0.1:\($0)"] }, output: scratch)
        defer { child.signal(SIGKILL) }
        // -B: big-endian words (ABCD); -t 4:float: holding registers as float32.
        let result = try await ProcessRunner.run("/usr/bin/mbpoll", ["-m", "tcp", "-p", "\(port)", "-a", "1", "-0", "-B", "-r", "3109", "-c", "1", "-t", "4:float", "-1", "127.0.0.1"])
        let value = result.standardOutput.split(separator: "\n").first { $0.hasPrefix("[3109]") }?.split(separator: "\t").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        #expect(value.map { abs($0 - 50) <= 0.05 } == true, "\(result.standardOutput)")
        child.signal(SIGTERM)
        #expect(await child.waitForExit(timeout: .seconds(10)))
    }
}

/// A server that answers nothing, to hold a port.
struct NobodyHome: ModbusRequestHandler {
    func reply(to request: ModbusRequest) -> ModbusReply { .silence }
}
