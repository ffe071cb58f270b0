import Glibc
import Synchronization

/// A long-lived thread of plantgate's own (a bus, the engine, the ledger, the control socket) that its
/// owner stops by joining it: `join` returns once the body has returned, with no semaphore signalled on the
/// way out that a crash in the body could leave unsignalled forever.
public final class JoinableThread: Sendable {
    private let thread: pthread_t
    /// Held across `pthread_join`, so that every caller of `join` returns only once the thread has ended.
    private let joined = Mutex<Bool>(false)

    /// Starts `body` on a new thread named `name` in the kernel (as `top -H` shows it). Throws when the
    /// kernel refuses a thread (`EAGAIN`: the unit's TasksMax or the user's process limit is reached).
    public init(name: String, _ body: @escaping @Sendable () -> Void) throws(SystemCallError) {
        let start = Unmanaged.passRetained(Start(name: name, body: body))
        var thread = pthread_t()
        let code = pthread_create(&thread, nil, { raw in
            let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
            ThreadName.setCurrent(start.name)
            start.body()
            return nil
        }, start.toOpaque())
        guard code == 0 else {
            start.release()
            throw SystemCallError(call: "pthread_create", code: code)
        }
        self.thread = thread
    }

    /// Waits for the body to return; any number of callers, from any thread but this one.
    public func join() {
        joined.withLock { joined in
            guard !joined else { return }
            pthread_join(thread, nil)
            joined = true
        }
    }

    private final class Start {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}
