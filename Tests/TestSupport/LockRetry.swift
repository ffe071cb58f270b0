import Foundation

/// Takes a lock that this process has just released. A child another test spawns at that moment holds a
/// copy of the descriptor, and so the lock, until it execs (O_CLOEXEC closes it there): `take` is retried
/// for up to `timeout` to allow that moment, and a lock that stays still fails the test.
public func takeReleasedLock<Lock>(within timeout: Duration = .seconds(2), _ take: () throws -> Lock) throws -> Lock {
    let deadline = ContinuousClock.now + timeout
    while true {
        do {
            return try take()
        } catch {
            if ContinuousClock.now >= deadline { throw error }
            usleep(10_000)
        }
    }
}
