import Logging
import ServiceLifecycle

/// systemd's view: the status line every 10 s, start-up memory handed back once start-up work is done,
/// and STOPPING=1 first thing on shutdown (this service is the last started, so the first stopped).
struct SystemdStatusService: Service {
    let notifier: SystemdNotifier
    let logger: Logger
    let statusLine: @Sendable () -> String

    func run() async {
        // Start-up work goes on after READY (restore, first snapshot and stats at 10 s); then it is done.
        if await sleepUnlessStopping(for: .seconds(12)) {
            logger.info("start-up done: handing the memory only start-up used back to the kernel")
            StartupPages.release(after: .startup)
            while await sleepUnlessStopping(for: .seconds(10)) {
                try? notifier.status(statusLine())
            }
        }
        logger.info("stopping")
        try? notifier.stopping()
    }
}

/// Sleeps for `duration`; false, at once, when graceful shutdown or cancellation comes first.
func sleepUnlessStopping(for duration: Duration) async -> Bool {
    do {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
        return !Task.isShuttingDownGracefully && !Task.isCancelled
    } catch {
        return false
    }
}
