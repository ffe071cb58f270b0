import Glibc

/// The one place plantgate creates a thread: named in the kernel (as `top -H` shows it) before `body`
/// runs, joinable or detached. Throws with `pthread_create`'s error (`EAGAIN`: the unit's TasksMax or the
/// user's process limit is reached).
enum ThreadSpawn {
    static func start(name: String, detached: Bool, _ body: @escaping @Sendable () -> Void) throws(SystemCallError) -> pthread_t {
        let start = Unmanaged.passRetained(Start(name: name, body: body))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if detached { pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) }
        var thread = pthread_t()
        let code = pthread_create(&thread, &attributes, { raw in
            let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
            ThreadName.setCurrent(start.name)
            start.body()
            return nil
        }, start.toOpaque())
        guard code == 0 else {
            start.release()
            throw SystemCallError(call: "pthread_create", code: code)
        }
        return thread
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
