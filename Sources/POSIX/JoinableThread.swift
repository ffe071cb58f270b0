import Glibc
import Synchronization

/// A long-lived thread of plantgate's own (a bus, the engine, the ledger, the control socket) that its
/// owner stops by joining it: `join` returns once the body has returned and the thread is gone, for every
/// caller, where a semaphore signalled at the end of the body had to be passed on from waiter to waiter.
public final class JoinableThread: Sendable {
    private let thread: pthread_t
    /// Held across `pthread_join`, so that every caller of `join` returns only once the thread has ended.
    private let joined = Mutex<Bool>(false)

    /// Starts `body` on a new thread named `name`; throws when the kernel refuses one.
    public init(name: String, _ body: @escaping @Sendable () -> Void) throws(SystemCallError) {
        thread = try ThreadSpawn.start(name: name, detached: false, body)
    }

    /// Waits for the body to return; any number of callers, from any thread but this one.
    public func join() {
        joined.withLock { joined in
            guard !joined else { return }
            pthread_join(thread, nil)
            joined = true
        }
    }
}
