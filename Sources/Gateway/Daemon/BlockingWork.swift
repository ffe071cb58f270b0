import Foundation
import POSIX

/// Blocking work (joining threads, waiting on semaphores, SQLite, reading the config file) done on a
/// thread of its own and awaited through a continuation, so the daemon's async functions never block
/// one of Swift's few cooperative threads. Only for start, reload and stop: it starts a thread per call.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                // Threads started from here (the MQTT client's) inherit the name: the process's, as in any daemon.
                ThreadName.setCurrent("plantgated")
                continuation.resume(returning: body())
            }
            thread.start()
        }
    }
}
