#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serialises every call into one libmosquitto handle.
///
/// libmosquitto's unthreaded mode expects one caller at a time; here the network thread and the
/// publishing threads share the handle, so each call runs under this lock. That also keeps the
/// network thread from closing the socket while another thread writes to it (the descriptor could
/// otherwise be reused by an unrelated file between the two). Recursive, because a QoS 0 publish
/// calls `onPublish` from inside `mosquitto_publish`, and that handler may publish again.
final class MosquittoLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_RECURSIVE))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always)
    func run<Result>(_ body: () -> Result) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
