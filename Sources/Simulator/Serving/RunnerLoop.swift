import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Ticks every site's runner every 100 ms on a thread of its own (never on Swift's cooperative pool,
/// whose few threads the signal handling needs), and stops promptly when asked.
public final class RunnerLoop: Sendable {
    public let runners: [SimulationRunner]
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    public init(runners: [SimulationRunner]) { self.runners = runners }

    /// At this speed and above the plant is also kept caught up with the clock every 10 ms.
    public static let pacedSpeed = 60.0

    /// Starts the thread, and the pacing thread at high speed: a request must not pay for integrating
    /// every plant second since the last one (at 1440× a real second of plant time took ~9 ms to
    /// integrate in a debug build), nor wait for the niced truth writer to do it.
    public func start() {
        if runners.contains(where: { $0.speed >= Self.pacedSpeed }) {
            let pacer = Thread { [self] in
                while !stopping.load(ordering: .acquiring) {
                    for runner in runners where runner.speed >= Self.pacedSpeed { runner.simulation.catchUp() }
                    Thread.sleep(forTimeInterval: 0.01)
                }
            }
            pacer.name = "sim-pacer"
            pacer.start()
        }
        let thread = Thread { [self] in
            // Nice 10 for this thread only: formatting truth flat out must lose the CPU to a request's
            // thread at once, or a busy box makes the reply wait behind the writer's time slice.
            if let tid = Self.threadID { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), tid, 10) }
            while !stopping.load(ordering: .acquiring) {
                let started = ContinuousClock.now
                for runner in runners where !stopping.load(ordering: .acquiring) { runner.tick() }
                let rest = .milliseconds(100) - (ContinuousClock.now - started)
                if rest > .zero { Thread.sleep(forTimeInterval: rest.inSeconds) }
            }
            finished.signal()
        }
        thread.name = "sim-runner"
        thread.start()
    }

    /// The calling thread's kernel id (`/proc/thread-self` links to `PID/task/TID`; Swift has no gettid).
    private static var threadID: id_t? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")).flatMap { id_t($0.split(separator: "/").last ?? "") }
    }

    /// Stops the thread (waiting at most `timeout` for its current tick), then ticks every runner once
    /// more within `finalBudget` in all, and flushes the truth files. Returns whether the thread stopped.
    @discardableResult
    public func stop(timeout: Duration = .milliseconds(500), finalBudget: Duration = .milliseconds(250)) -> Bool {
        stopping.store(true, ordering: .releasing)
        guard finished.wait(timeout: .now() + timeout.inSeconds) == .success else { return false }
        let share = finalBudget / max(1, runners.count)
        for runner in runners {
            runner.tick(budget: share)
            runner.finish()
        }
        return true
    }
}
