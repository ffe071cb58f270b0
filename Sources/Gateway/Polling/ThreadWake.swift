import Glibc

/// Sleeps a thread until an absolute monotonic deadline or until another thread wakes it, whichever
/// comes first: a bus thread sleeps to its next poll and still stops at once, without waking in slices.
/// A condition variable on CLOCK_MONOTONIC, so the deadline is as exact as `clock_nanosleep`'s.
final class ThreadWake: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Wakes not yet taken by a waiter; guarded by `mutex`.
    private var pending = false

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Sleeps until `deadline` (monotonic ns; `.max`: no deadline) or a `wake()`. Returns true if woken.
    @discardableResult
    func sleep(untilMonotonicNanos deadline: Int64) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while !pending {
            let result = deadline == .max ? pthread_cond_wait(condition, mutex) : pthread_cond_timedwait(condition, mutex, &target)
            if result == ETIMEDOUT { return false }
        }
        pending = false
        return true
    }

    /// Wakes the sleeper now, or makes its next sleep return at once.
    func wake() {
        pthread_mutex_lock(mutex)
        pending = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }
}
