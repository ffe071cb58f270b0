import Foundation
import Synchronization

/// Ticks every site's runner every 100 ms on a thread of its own (never on Swift's cooperative pool,
/// whose few threads the signal handling needs), and stops promptly when asked.
public final class RunnerLoop: Sendable {
    public let runners: [SimulationRunner]
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    public init(runners: [SimulationRunner]) { self.runners = runners }

    /// Starts the thread.
    public func start() {
        let thread = Thread { [self] in
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

    /// Stops the thread (waiting at most `timeout` for its current tick), then ticks every runner once
    /// more within `finalBudget` in all, and flushes the truth files. Returns whether the thread stopped.
    @discardableResult
    public func stop(timeout: Duration = .milliseconds(500), finalBudget: Duration = .milliseconds(500)) -> Bool {
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
