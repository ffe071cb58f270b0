import Foundation
import Synchronization

/// Keeps a served simulation company: logs fault edges, refused writes and the simulator's own lateness
/// as they happen, and appends ground-truth lines every `truthInterval` of simulated time.
///
/// Truth is formatted from a snapshot of the plant taken under its lock and written outside it, so the
/// Modbus servers never wait behind the truth file at any speed. `tick` is driven by `RunnerLoop`.
public final class SimulationRunner: Sendable {
    public let simulation: Simulation
    public let servers: PlantServers
    public let truthInterval: Double
    public let speed: Double
    /// Put before every log line (`site 3: `), empty for a single site.
    public let label: String
    private let truth: TruthFile?
    private let progress = Mutex<Progress>(Progress())
    private let output: @Sendable (String) -> Void

    private struct Progress {
        var writesSeen: [String: Int] = [:]
        var lagReported = false
        var behindReported = false
    }

    /// Opens (creates, appends to) the truth file; `output` receives log lines (default: stdout).
    public init(simulation: Simulation, servers: PlantServers, truthPath: String?, truthInterval: Double, speed: Double, label: String = "",
                output: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }) {
        self.simulation = simulation
        self.servers = servers
        self.truthInterval = max(0.001, truthInterval)
        self.speed = speed
        self.label = label
        self.output = output
        // Real wall time at simulated time 0 is the accelerated clock's own origin, not the moment this
        // runner was made (at 480× every millisecond between them is 0.48 plant seconds of skew).
        let wallStart = (simulation.clock as? AcceleratedClock)?.originWall ?? Date()
        if let truthPath {
            truth = TruthFile(path: truthPath, interval: self.truthInterval, wallStart: wallStart, speed: speed)
            if truth == nil { output("\(label)warning: cannot open truth file \(truthPath); no ground truth will be written") }
        } else {
            truth = nil
        }
    }

    /// Logs what happened since the last tick and writes the truth lines now due, spending at most
    /// `budget` formatting them (the rest waits for the next tick: the file never has a gap).
    public func tick(budget: Duration = .milliseconds(100)) {
        for line in simulation.drainLog() { output(label + line) }
        let counts = servers.requestCounts
        let lag = simulation.lag
        let lines = progress.withLock { progress -> [String] in
            var lines: [String] = []
            for (link, byCode) in counts.sorted(by: { $0.key < $1.key }) {
                let writes = byCode.filter { !(1...4).contains($0.key) }
                let total = writes.values.reduce(0, +)
                if total > progress.writesSeen[link, default: 0] {
                    lines.append("refused \(total - progress.writesSeen[link, default: 0]) write request(s) on \(link) (so far: \(Self.summary([link: writes]))): answered illegal function")
                    progress.writesSeen[link] = total
                }
            }
            if let first = lag.first, !progress.lagReported {
                progress.lagReported = true
                lines.append("simulator behind: \(first) for the plant (its lock and catching up with the clock) before its reply was made; "
                             + "late replies from now on may be the simulator's, not the gateway's (logged once; the count is in the stop line)")
            }
            return lines
        }
        for line in lines { output(label + line) }
        guard let truth else { return }
        let (plant, now) = simulation.snapshot()
        let backlog = truth.write(plant: plant, through: now, requests: counts, budget: budget)
        if backlog > max(10 * truthInterval, 2 * speed) {
            let report = progress.withLock { progress in
                defer { progress.behindReported = true }
                return !progress.behindReported
            }
            if report {
                output(label + "truth file behind: \(Int(backlog)) simulated seconds not yet written at speed \(speed)×; "
                       + "give a longer --truth-interval (now \(truthInterval) s) to keep up (logged once)")
            }
        }
    }

    /// Flushes the truth file to disk.
    public func finish() { truth?.synchronize() }

    /// The stop line: requests by function code and, if any, the simulator's own lateness.
    public var stopSummary: String {
        let lag = simulation.lag.summary.map { "; \($0)" } ?? ""
        let written = truth.map { "; truth written through t = \(Int($0.writtenThrough)) s" } ?? ""
        return "\(label)stopped; requests by function code: " + Self.summary(servers.requestCounts) + lag + written
    }

    /// `mcc FC3=120 FC6=1; field FC3=300`.
    public static func summary(_ counts: [String: [UInt8: Int]]) -> String {
        let parts = counts.sorted { $0.key < $1.key }.map { link, byCode in
            "\(link) " + (byCode.isEmpty ? "none" : byCode.sorted { $0.key < $1.key }.map { "FC\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        return parts.isEmpty ? "none" : parts.joined(separator: "; ")
    }
}
