/// Blocking work (joining threads, waiting on semaphores, SQLite, reading files, libmodbus and socket I/O)
/// done on a thread of its own and awaited through a continuation, so async code never blocks one of
/// Swift's few cooperative threads. A thread per call: for start, reload, stop and commands, not a hot path.
public enum BlockingWork {
    /// Runs `body` on a new thread named `threadName` (as `top -H` shows it) and returns its result.
    public static func run<T: Sendable>(_ threadName: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let job: @Sendable () -> Void = { continuation.resume(returning: body()) }
            // Without a thread (the process is at its limit) the work still gets done, on this one.
            if (try? ThreadSpawn.start(name: threadName, detached: true, job)) == nil { job() }
        }
    }
}
