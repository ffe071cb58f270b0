import Glibc
import Logging
import PlantModel
import POSIX
import ServiceLifecycle
import Synchronization

/// Runs one generation's service group at a time and replaces it on SIGHUP: the next configuration is
/// validated first, the running group is told what to hand over (unchanged pollers, the publisher) and
/// shut down, and the next one is built from it and run. Graceful shutdown of the daemon reaches the
/// running group through its parent task.
struct PlantSupervisor: Service {
    let daemon: GatewayDaemon
    let first: Generation
    /// SIGHUP and SIGUSR1, watched since the daemon began.
    let signals: AsyncStream<Int32>
    let logger: Logger

    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { running in
            var generation: Generation? = first
            var group = first.services(logger: logger)
            running.addTask { [group] in try await group.run() }
            for await number in signals.cancelOnGracefulShutdown() {
                if number == SIGUSR1 {
                    daemon.toggleFreezeForTests()
                    continue
                }
                guard let old = generation, let next = await daemon.prepareReload(of: old) else { continue }
                old.handover.withLock { $0 = next.handover }
                await group.triggerGracefulShutdown()
                try await running.next()
                generation = await daemon.finishReload(next, replacing: old)
                if let generation {
                    group = generation.services(logger: logger)
                    running.addTask { [group] in try await group.run() }
                }
            }
            try await running.waitForAll()
        }
    }
}

/// A reload that passed validation: the next configuration and what the running one hands over to it.
struct PendingReload: Sendable {
    var plan: PlantPlan
    var revision: String
    var handover: Handover
}
