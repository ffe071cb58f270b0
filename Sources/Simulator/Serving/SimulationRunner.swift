import Foundation
import Synchronization

/// Keeps a served simulation company: logs fault edges and refused writes as they happen and appends
/// a ground-truth line every `truthInterval` of simulated time.
public final class SimulationRunner: Sendable {
    public let simulation: Simulation
    public let servers: PlantServers
    public let truthInterval: Double
    public let speed: Double
    private let truthFile: FileHandle?
    /// Real wall time at simulated time 0: the accelerated clock's own origin, not the moment this runner
    /// was made (the servers start in between; at 480× every millisecond of that is 0.48 plant seconds
    /// by which a gateway anchored on the truth file would run behind the plant).
    private let wallStart: Date
    private let progress = Mutex<Progress>(Progress())
    private let output: @Sendable (String) -> Void

    private struct Progress {
        var nextTruth = 0.0
        var writesSeen: [String: Int] = [:]
    }

    /// Opens (creates, appends to) the truth file; `output` receives log lines (default: stdout).
    public init(simulation: Simulation, servers: PlantServers, truthPath: String?, truthInterval: Double, speed: Double,
                output: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }) {
        self.simulation = simulation
        self.servers = servers
        self.truthInterval = max(0.001, truthInterval)
        self.speed = speed
        self.output = output
        wallStart = (simulation.clock as? AcceleratedClock)?.originWall ?? Date()
        if let truthPath {
            if !FileManager.default.fileExists(atPath: truthPath) { _ = FileManager.default.createFile(atPath: truthPath, contents: nil) }
            truthFile = FileHandle(forWritingAtPath: truthPath)
            _ = try? truthFile?.seekToEnd()
            if truthFile == nil { output("warning: cannot open truth file \(truthPath); no ground truth will be written") }
        } else {
            truthFile = nil
        }
    }

    /// Ticks every 100 ms until `stopped` returns, then ticks once more.
    public func run(until stopped: @escaping @Sendable () async -> Void) async {
        let ticker = Task { [self] in
            while !Task.isCancelled {
                tick()
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        await stopped()
        ticker.cancel()
        _ = await ticker.value
        tick()
        try? truthFile?.synchronize()
    }

    /// Logs what happened since the last tick and writes the truth lines now due.
    public func tick() {
        for line in simulation.drainLog() { output(line) }
        let counts = servers.requestCounts
        let now = simulation.now()
        let (writeLines, due) = progress.withLock { progress -> ([String], [Double]) in
            var lines: [String] = []
            for (link, byCode) in counts.sorted(by: { $0.key < $1.key }) {
                let writes = byCode.filter { !(1...4).contains($0.key) }
                let total = writes.values.reduce(0, +)
                if total > progress.writesSeen[link, default: 0] {
                    lines.append("refused \(total - progress.writesSeen[link, default: 0]) write request(s) on \(link) (so far: \(Self.summary([link: writes]))): answered illegal function")
                    progress.writesSeen[link] = total
                }
            }
            var due: [Double] = []
            if truthFile != nil {
                while progress.nextTruth <= now, due.count < 100_000 {
                    due.append(progress.nextTruth)
                    progress.nextTruth += truthInterval
                }
            }
            return (lines, due)
        }
        for line in writeLines { output(line) }
        guard let truthFile, !due.isEmpty else { return }
        let text = simulation.withPlant(at: now) { plant, _ in
            due.map { t in
                TruthRecord.line(plant: plant, at: t, wall: wallStart.addingTimeInterval(t / speed), requests: counts) + "\n"
            }.joined()
        }
        truthFile.write(Data(text.utf8))
    }

    /// `mcc FC3=120 FC6=1; field FC3=300`.
    public static func summary(_ counts: [String: [UInt8: Int]]) -> String {
        let parts = counts.sorted { $0.key < $1.key }.map { link, byCode in
            "\(link) " + (byCode.isEmpty ? "none" : byCode.sorted { $0.key < $1.key }.map { "FC\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        return parts.isEmpty ? "none" : parts.joined(separator: "; ")
    }
}
