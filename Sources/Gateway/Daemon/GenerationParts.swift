import POSIX
import ServiceLifecycle
import Synchronization

// Each part of a generation as a service: `run()` holds the started part until graceful shutdown (or
// cancellation), then stops it. Stopping blocks (threads joined, SQLite closed), so it runs through
// `BlockingWork`, never on the cooperative pool.

struct RuntimePart: Service {
    let generation: Generation

    func run() async {
        try? await gracefulShutdown()
        let kept = generation.handover.withLock { $0.pollers }
        await BlockingWork.run("plantgated") { [generation] in generation.runtime.stop(keeping: kept) }
    }
}

struct SparkplugPart: Service {
    let generation: Generation

    func run() async {
        try? await gracefulShutdown()
        await BlockingWork.run("plantgated") { [generation] in generation.sparkplug?.stop() }
    }
}

struct LedgerPart: Service {
    let generation: Generation

    func run() async {
        try? await gracefulShutdown()
        let event = generation.handover.withLock { $0.event }
        await BlockingWork.run("plantgated") { [generation] in
            if let event { generation.ledger.append(event) }
            generation.ledger.close()
        }
    }
}

struct PublisherPart: Service {
    let generation: Generation

    func run() async {
        try? await gracefulShutdown()
        if generation.handover.withLock({ $0.keepsPublisher }) { return }
        await generation.publisher.stop(drainTimeout: .seconds(5))
    }
}
