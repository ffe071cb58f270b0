import Logging
import ServiceLifecycle
import Synchronization

/// Sends `WATCHDOG=1` from a timer, but only while the daemon is really making progress.
///
/// A timer that pings unconditionally proves only that the cooperative pool is alive. The pacer asks
/// `isHealthy` (typically ``LoopHeartbeat/isHealthy()``: "the poll loop and the metric engine both
/// progressed recently") before each ping, so a wedged bus thread stops the pings and systemd restarts
/// the unit after `WatchdogSec=`. Thread-safe; ``tick()`` never blocks.
public final class WatchdogPacer: Service {
    /// What one ``tick()`` did.
    public enum Outcome: Sendable, Equatable {
        /// `WATCHDOG=1` was sent.
        case pinged
        /// The daemon is stuck, so no ping was sent.
        case withheld
        /// The unit has no `WatchdogSec=` (or it is meant for another PID): nothing to do.
        case watchdogOff
    }

    /// How many ticks pinged and how many withheld the ping since the pacer was created.
    public struct Counts: Sendable, Equatable {
        public var pinged = 0
        public var withheld = 0

        /// Creates counts, e.g. to compare against in a test or a status report.
        public init(pinged: Int = 0, withheld: Int = 0) {
            self.pinged = pinged
            self.withheld = withheld
        }
    }

    private struct State {
        var counts = Counts()
        var lastTickHealthy = true
        var lastSendFailed = false
    }

    private let notifier: SystemdNotifier
    private let isHealthy: @Sendable () -> Bool
    private let logger: Logger?
    private let state = Mutex(State())

    /// Creates a pacer that pings through `notifier` whenever `isHealthy` returns `true`.
    public init(notifier: SystemdNotifier, logger: Logger? = nil, isHealthy: @escaping @Sendable () -> Bool) {
        self.notifier = notifier
        self.logger = logger
        self.isHealthy = isHealthy
    }

    /// Half of `WatchdogSec=`, as `sd_watchdog_enabled(3)` recommends; `nil` when the watchdog is off.
    public var pingInterval: Duration? {
        self.notifier.watchdogInterval().map { $0 / 2 }
    }

    /// Counts of pings sent and withheld so far.
    public var counts: Counts { self.state.withLock { $0.counts } }

    /// Checks health once and pings if healthy. Call it every ``pingInterval``.
    @discardableResult
    public func tick() throws(SystemdNotifyError) -> Outcome {
        guard self.notifier.watchdogInterval() != nil else { return .watchdogOff }
        let healthy = self.isHealthy()
        let changed = self.state.withLock { state in
            defer { state.lastTickHealthy = healthy }
            if healthy { state.counts.pinged += 1 } else { state.counts.withheld += 1 }
            return state.lastTickHealthy != healthy
        }
        if changed {
            if healthy {
                self.logger?.notice("watchdog pings resumed: polling and metrics are progressing again")
            } else {
                self.logger?.warning(
                    "watchdog pings withheld: the poll loop or metric engine made no recent progress; systemd restarts the daemon after WatchdogSec if this persists"
                )
            }
        }
        guard healthy else { return .withheld }
        try self.notifier.watchdog()
        return .pinged
    }

    /// Ticks every ``pingInterval`` until graceful shutdown or cancellation; with the watchdog off it only
    /// waits for that. A failed send is logged once, not on every tick.
    public func run() async {
        guard let interval = self.pingInterval else {
            try? await gracefulShutdown()
            return
        }
        repeat {
            do {
                try self.tick()
                self.state.withLock { $0.lastSendFailed = false }
            } catch {
                let firstFailure = self.state.withLock { state in
                    defer { state.lastSendFailed = true }
                    return !state.lastSendFailed
                }
                if firstFailure { self.logger?.error("\(error)") }
            }
        } while await sleepUnlessStopping(for: interval)
    }
}
