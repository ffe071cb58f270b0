import Foundation
import Modbus
import ModbusProtocol
import PlantModel
import TestSupport
import Testing

/// `plantgate sim --sites N`: N copies of a scenario from one process, on consecutive port pairs with
/// seeds SEED, SEED+1, …, each with its own truth file; and what a site costs.
@Suite("plantgate sim --sites", .serialized)
struct ManySitesTests {
    /// `count` consecutive ports that nothing listens on, below the kernel's ephemeral range
    /// (/proc/sys/net/ipv4/ip_local_port_range, 32768 up by default): the other tests' client
    /// connections take their local ports from that range, where no listen check can see them.
    static func portRun(_ count: Int) throws -> Int {
        for _ in 0..<50 {
            let port = Int.random(in: 20_000...(32_000 - count))
            if !(0..<count).contains(where: { FreePort.isAccepting(port + $0) }) { return port }
        }
        throw TestSupportError("no run of \(count) free ports between 20000 and 32000")
    }

    static func spawn(_ arguments: [String], sites: Int, log: String) async throws -> (ChildProcess, Int) {
        // Another program may take one of the run's ports meanwhile: then another run (the log keeps each try's words).
        for _ in 0..<5 {
            let port = try portRun(2 * sites)
            let child = try ChildProcess.spawn(CommandLineTests.executable, ["sim"] + arguments + ["--sites", "\(sites)", "--listen", "127.0.0.1:\(port)"],
                                               outputPath: log, errorPath: log)
            let up = await eventually(timeout: .seconds(20)) { !child.isRunning || (0..<2 * sites).allSatisfy { FreePort.isAccepting(port + $0) } }
            if up && child.isRunning { return (child, port) }
            child.signal(SIGKILL)
            _ = await child.waitForExit(timeout: .seconds(5))
        }
        throw TestSupportError("plantgate sim --sites \(sites) did not start in 5 tries: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    /// The t = 0 line of a truth file, once written.
    static func firstTruth(_ path: String) async throws -> [String: Any] {
        var line: [String: Any]?
        _ = await eventually(timeout: .seconds(10)) {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            line = text.split(separator: "\n").first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            return line != nil
        }
        return try #require(line, "no truth line in \(path)")
    }

    static func power(_ truth: [String: Any]) -> Double? {
        ((((truth["meters"] as? [String: Any])?["pm-main"] as? [String: Any])?["rates"] as? [String: Any])?["power_kw"] as? NSNumber)?.doubleValue
    }

    @Test(.enabled(if: CommandLineTests.built)) func sitesServeConsecutivePortsWithDistinctSeeds() async throws {
        let scratch = try temporaryDirectory("sim-sites")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let start = "2026-03-10T06:00:00Z", log = scratch.appendingPathComponent("sites.log").path
        let (child, port) = try await Self.spawn(["lithium-hydroxide", "--seed", "40", "--start", start, "--truth", scratch.appendingPathComponent("truth.jsonl").path],
                                                 sites: 3, log: log)
        defer { child.signal(SIGKILL) }
        for site in 0..<3 {
            let mcc = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port + 2 * site), timeouts: ModbusTimeouts(response: 1))
            try mcc.connect()
            let frequency = SimFixture.decode(try mcc.readRegisters(.holding, unit: 1, address: 3109, count: 2), profile: "schneider-pm5xxx", tag: "frequency")
            #expect(abs(frequency - 50) <= 0.05, "site \(site + 1)")
            let field = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port + 2 * site + 1), timeouts: ModbusTimeouts(response: 1))
            try field.connect()
            let gas = SimFixture.decode(try field.readRegisters(.holding, unit: 6, address: 0, count: 2), profile: "gas-ek", tag: "flow_corrected")
            #expect(abs(gas - 5_000) < 750, "site \(site + 1)")
        }
        var powers: [Double] = []
        for site in 1...3 { powers.append(try #require(Self.power(try await Self.firstTruth(scratch.appendingPathComponent("truth-\(site).jsonl").path)))) }
        #expect(Set(powers).count == 3, "each site its own seed: \(powers)")

        // Site 2 is exactly the plant a single simulator makes with seed 41.
        let single = scratch.appendingPathComponent("single.jsonl").path
        let (alone, _) = try await CommandLineTests.spawnSim({ ["sim", "lithium-hydroxide", "--seed", "41", "--start", start, "--truth", single, "--listen", "127.0.0.1:\($0)"] },
                                                           output: scratch.appendingPathComponent("single.log").path)
        defer { alone.signal(SIGKILL) }
        #expect(Self.power(try await Self.firstTruth(single)) == powers[1])

        child.signal(SIGINT)
        #expect(await child.waitForExit(timeout: .seconds(5)))
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(text.contains("site 2: serving bus mcc on 127.0.0.1:\(port + 2): pm-main unit 1, pm-aux unit 3"), "\(text)")
        #expect(text.contains("site 3: serving bus field on 127.0.0.1:\(port + 5): fm-intake unit 2"), "\(text)")
        #expect(text.contains("× 3 sites seeds 40…42"), "\(text)")
        #expect(text.components(separatedBy: "stopped; requests by function code").count == 4, "\(text)")
    }

    @Test(.enabled(if: CommandLineTests.built)) func tooManySitesForThePortRangeIsAUsageError() async throws {
        let result = try await ProcessRunner.run(CommandLineTests.executable, ["sim", "lithium-hydroxide", "--sites", "50", "--listen", "127.0.0.1:65500"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("needs ports up to 65599") && result.standardError.contains("≤ 65436"), "\(result.standardError)")
    }
}
