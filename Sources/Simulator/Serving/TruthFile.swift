import Foundation
import Synchronization

/// The ground-truth file of one simulation: one JSON line per `interval` of simulated time, in order and
/// without gaps, formatted from plant snapshots outside the plant's lock.
final class TruthFile: Sendable {
    let interval: Double
    let wallStart: Date
    let speed: Double
    private let state: Mutex<State>

    private struct State {
        var handle: FileHandle
        /// Simulated time of the next line to write.
        var next = 0.0
    }

    /// Opens `path` for appending (creating it); nil when it cannot be opened.
    init?(path: String, interval: Double, wallStart: Date, speed: Double) {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        _ = try? handle.seekToEnd()
        self.interval = interval
        self.wallStart = wallStart
        self.speed = speed
        state = Mutex(State(handle: handle))
    }

    /// Simulated time of the last line written (−interval before the first).
    var writtenThrough: Double { state.withLock { $0.next - interval } }

    /// Writes every line due up to `now` from `plant` (advanced to at least `now`), stopping early once
    /// `budget` is spent. Returns the simulated seconds still due (the backlog).
    func write(plant: PlantScenario, through now: Double, requests: [String: [UInt8: Int]], budget: Duration) -> Double {
        state.withLock { state in
            let started = ContinuousClock.now
            var text = ""
            while state.next <= now {
                let t = state.next
                text += TruthRecord.line(plant: plant, at: t, wall: wallStart.addingTimeInterval(t / speed), requests: requests)
                text += "\n"
                state.next += interval
                // Write in pieces so a long catch-up neither holds a huge string nor overruns the budget.
                if text.utf8.count > 1 << 20 { flush(&text, to: state.handle) }
                if ContinuousClock.now - started > budget { break }
            }
            flush(&text, to: state.handle)
            return max(0, now - state.next)
        }
    }

    func synchronize() {
        state.withLock { try? $0.handle.synchronize() }
    }

    private func flush(_ text: inout String, to handle: FileHandle) {
        guard !text.isEmpty else { return }
        handle.write(Data(text.utf8))
        text = ""
    }
}
