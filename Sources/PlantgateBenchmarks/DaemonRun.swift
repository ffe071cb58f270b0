import Foundation
import Gateway

/// What a measurement of the shipped daemon starts from: a private directory and mosquitto, children
/// started there with their output in a log file, and `plantgated` on a config written there, past its
/// start-up. `stop()` ends the children (last started first) and the broker, and removes the directory.
final class DaemonRun {
    let directory: URL
    let broker: BenchmarkBroker
    private var children: [Process] = []

    init(_ name: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("plantgate-\(name)-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        broker = try BenchmarkBroker()
    }

    /// Starts `path`, its output going to `log` in the run's directory; `stop()` ends it.
    func start(_ path: String, _ arguments: [String], log: String) throws -> Process {
        let process = try DaemonBenchmark.child(path, arguments, output: directory.appendingPathComponent(log))
        children.append(process)
        return process
    }

    /// Writes `config` as the run's plantgate.yaml, starts `executable` on it and waits `warmup` seconds
    /// (start-up included: the daemon returns its start-up pages 12 s after READY).
    func startDaemon(_ executable: String, config: String, warmup: Double) throws -> Process {
        let configPath = directory.appendingPathComponent("plantgate.yaml").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let daemon = try start(executable, ["--config", configPath], log: "daemon.log")
        Thread.sleep(forTimeInterval: warmup)
        guard daemon.isRunning else {
            let log = (try? String(contentsOf: directory.appendingPathComponent("daemon.log"), encoding: .utf8)) ?? ""
            throw BenchmarkFailure("plantgated exited during warm-up: \(log)")
        }
        return daemon
    }

    func stop() {
        children.reversed().forEach(DaemonBenchmark.stopChild)
        children = []
        broker.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Seconds on the monotonic clock, for the measured windows.
    static func now() -> Double { Double(SystemClock.monotonicNanos()) / 1e9 }
}
