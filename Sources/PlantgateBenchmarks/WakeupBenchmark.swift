import Foundation
import PlantModel
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// How often the shipped daemon's threads wake, against how much work it has: the example
/// lithium-hydroxide plant served by `plantgate sim`, polled by `plantgated` publishing to a private
/// mosquitto. Context switches are counted from /proc (voluntary + involuntary, summed over every
/// thread): a count, stable on a noisy machine where timings are not.
struct WakeupBenchmarkResult: Codable, Sendable {
    var binaries: String
    var seconds: Double
    /// Context switches of all the daemon's threads per second over the window, and the two kinds: a
    /// voluntary one is a thread going to sleep (a wake-up), an involuntary one the scheduler preempting
    /// it, which grows with the machine's load rather than with the daemon's work.
    var contextSwitchesPerSecond: Double
    var voluntaryPerSecond: Double
    var involuntaryPerSecond: Double
    /// Modbus requests per second (the control socket's counts) and device cycles per second (the plan).
    var requestsPerSecond: Double
    var deviceCyclesPerSecond: Double
    /// 1.5 × (requests/s + cycles/s) + 5: a wake-up per unit of work and a little housekeeping.
    var budgetPerSecond: Double
    var withinBudget: Bool
    var daemonCPUPercent: Double
    /// Voluntary context switches per second by thread name (threads sharing a name are summed).
    var voluntaryByThread: [String: Double]
    /// The load average over the last minute at the end of the run.
    var loadAverage: Double
}

enum WakeupBenchmark {
    /// Runs the example plant for `warmup` + `seconds`; `binaries` holds `plantgated` and `plantgate`
    /// (default: beside this benchmark), so a build from before a change can be measured the same way.
    static func run(binaries: String?, warmup: Double, seconds: Double) throws -> WakeupBenchmarkResult {
        let binaries = binaries ?? DaemonBenchmark.siblingDirectory()
        let run = try DaemonRun("wakeup")
        defer { run.stop() }
        let (directory, broker) = (run.directory, run.broker)
        let mccPort = try FreePort.pair()
        _ = try run.start("\(binaries)/plantgate", ["sim", "lithium-hydroxide", "--listen", "127.0.0.1:\(mccPort)"], log: "sim.log")
        let config = try exampleConfig(mccPort: mccPort, brokerPort: broker.port, directory: directory)
        let plan = try BenchmarkPlant.plan(config)
        // Past start-up and the simulator's first answers.
        let daemon = try run.startDaemon("\(binaries)/plantgated", config: config, warmup: warmup)
        let pid = "\(daemon.processIdentifier)"
        let socket = directory.appendingPathComponent("control.sock").path
        let before = (time: DaemonRun.now(), switches: threadSwitches(pid), cpu: ProcessMeter.cpuSeconds(process: pid), requests: try requests(cli: "\(binaries)/plantgate", socket: socket))
        Thread.sleep(forTimeInterval: seconds)
        let after = (time: DaemonRun.now(), switches: threadSwitches(pid), cpu: ProcessMeter.cpuSeconds(process: pid), requests: try requests(cli: "\(binaries)/plantgate", socket: socket))
        let elapsed = after.time - before.time
        var byThread: [String: Double] = [:]
        var involuntary = 0.0
        for (tid, end) in after.switches {
            let start = before.switches[tid]
            byThread[end.name, default: 0] += Double(end.voluntary - (start?.voluntary ?? 0)) / elapsed
            involuntary += Double(end.involuntary - (start?.involuntary ?? 0)) / elapsed
        }
        let voluntary = byThread.values.reduce(0, +)
        let switches = voluntary + involuntary
        var load = [0.0, 0.0, 0.0]
        _ = getloadavg(&load, 3)
        let requestRate = Double(after.requests - before.requests) / elapsed
        let cycleRate = plan.buses.flatMap(\.devices).reduce(0.0) { total, device in
            let interval = device.groups.first?.interval ?? .seconds(1)
            return total + 1 / max(1e-3, Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
        }
        let budget = 1.5 * (requestRate + cycleRate) + 5
        return WakeupBenchmarkResult(
            binaries: binaries, seconds: elapsed, contextSwitchesPerSecond: (switches * 10).rounded() / 10,
            voluntaryPerSecond: (voluntary * 10).rounded() / 10, involuntaryPerSecond: (involuntary * 10).rounded() / 10,
            requestsPerSecond: (requestRate * 10).rounded() / 10, deviceCyclesPerSecond: cycleRate, budgetPerSecond: (budget * 10).rounded() / 10,
            withinBudget: switches <= budget, daemonCPUPercent: ((after.cpu - before.cpu) / elapsed * 1000).rounded() / 10,
            voluntaryByThread: byThread.mapValues { ($0 * 10).rounded() / 10 }, loadAverage: load[0])
    }

    /// Voluntary and involuntary context switches and the name of every thread of `pid`, by thread id.
    static func threadSwitches(_ pid: String) -> [String: (name: String, voluntary: Int, involuntary: Int)] {
        var result: [String: (name: String, voluntary: Int, involuntary: Int)] = [:]
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for tid in tasks {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/status", encoding: .utf8) else { continue }
            var name = tid, voluntary = 0, involuntary = 0
            for line in status.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { continue }
                if parts[0] == "Name" { name = parts[1] }
                if parts[0] == "voluntary_ctxt_switches" { voluntary = Int(parts[1]) ?? 0 }
                if parts[0] == "nonvoluntary_ctxt_switches" { involuntary = Int(parts[1]) ?? 0 }
            }
            result[tid] = (name, voluntary, involuntary)
        }
        return result
    }

    /// Modbus requests so far, summed over the devices of `plantgate status --json`.
    static func requests(cli: String, socket: String) throws -> Int {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-status-\(UUID().uuidString.prefix(8)).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let status = try DaemonBenchmark.child(cli, ["status", "--socket", socket, "--json"], output: output)
        status.waitUntilExit()
        let answer = try Data(contentsOf: output)
        guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any],
              let devices = object["devices"] as? [[String: Any]] else {
            throw BenchmarkFailure("unexpected status answer: \(String(decoding: answer.prefix(300), as: UTF8.self))")
        }
        return devices.reduce(0) { $0 + (($1["requests"] as? Int) ?? 0) }
    }

    /// Deploy/examples/lithium-hydroxide.yaml on this run's ports and directories.
    static func exampleConfig(mccPort: Int, brokerPort: Int, directory: URL) throws -> String {
        let path = "Deploy/examples/lithium-hydroxide.yaml"
        guard var text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchmarkFailure("\(path) not found: run the benchmark from the repository root")
        }
        let replacements = [("port: 1502", "port: \(mccPort)"), ("port: 1503", "port: \(mccPort + 1)"), ("port: 1883", "port: \(brokerPort)"),
                            ("state_dir: /var/lib/plantgate", "state_dir: \(directory.path)/state"),
                            ("control_socket: /run/plantgate/control.sock", "control_socket: \(directory.path)/control.sock"),
                            ("log_level: info", "log_level: warning")]
        for (old, new) in replacements {
            guard text.contains(old) else { throw BenchmarkFailure("\(path) no longer has '\(old)'; update WakeupBenchmark.exampleConfig") }
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }
}
