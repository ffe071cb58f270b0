import ServiceLifecycle

/// A part the daemon has started, as a service: `run()` holds it until graceful shutdown (or cancellation),
/// then stops it. Every part runs this way; the group it is in decides when its turn to stop comes.
struct StopOnShutdown: Service {
    let stop: @Sendable () async -> Void

    func run() async {
        try? await gracefulShutdown()
        await stop()
    }
}
