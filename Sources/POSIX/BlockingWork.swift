import Glibc

/// Blocking work (joining threads, waiting on semaphores, SQLite, reading files, libmodbus and socket I/O)
/// done on a thread of its own and awaited through a continuation, so async code never blocks one of
/// Swift's few cooperative threads. A thread per call: for start, reload, stop and commands, not a hot path.
public enum BlockingWork {
    /// Runs `body` on a new thread named `threadName` (as `top -H` shows it) and returns its result.
    public static func run<T: Sendable>(_ threadName: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let job = Job {
                ThreadName.setCurrent(threadName)
                continuation.resume(returning: body())
            }
            // Without a thread (the process is at its limit) the work still gets done, on this one.
            if !job.startDetached() { job.body() }
        }
    }

    private final class Job: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }

        func startDetached() -> Bool {
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
            let retained = Unmanaged.passRetained(self)
            var thread = pthread_t()
            let started = pthread_create(&thread, &attributes, { raw in
                Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().body()
                return nil
            }, retained.toOpaque()) == 0
            if !started { retained.release() }
            return started
        }
    }
}
