import Dispatch
import Foundation
import Ledger
import Logging
import POSIX
import Synchronization

/// The ledger's own thread: stores signed entries in order (each one SQLite transaction with its fsync)
/// so the engine thread never waits for the disk, and runs what must follow a commit (publishing the
/// record) only once everything handed over before it is stored.
///
/// The hand-off is bounded (`capacity` jobs): a full queue (the disk has stalled) makes the caller wait
/// rather than lose entries, which would break the chain.
final class LedgerAppender: Sendable {
    enum Job: Sendable {
        case store(LedgerEntry)
        /// Runs after every job before it is done (publish after commit; a flush).
        case then(@Sendable () -> Void)
        case finish
    }

    static let capacity = 1024

    private let store: LedgerStore
    private let logger: Logger
    /// The queue, and whether `.finish` is in it: from then on callers do their jobs themselves.
    private let jobs = Mutex<(queue: [Job], closing: Bool)>(([], false))
    private let waiting = DispatchSemaphore(value: 0)
    private let space = DispatchSemaphore(value: LedgerAppender.capacity)
    private let thread = Mutex<JoinableThread?>(nil)

    init(store: LedgerStore, logger: Logger) throws(ThreadStartError) {
        self.store = store
        self.logger = logger
        do throws(SystemCallError) {
            let started = try JoinableThread(name: "ledger") { [self] in run() }
            thread.withLock { $0 = started }
        } catch {
            throw ThreadStartError(part: "the ledger", error: error)
        }
    }

    /// Hands `job` over; waits only while the queue is full. Once `close` has begun, the caller does it
    /// itself after everything queued before (so nothing handed over is lost, and order holds).
    func submit(_ job: Job) {
        space.wait()
        let queued = jobs.withLock { state in
            guard !state.closing else { return false }
            state.queue.append(job)
            return true
        }
        if queued {
            waiting.signal()
        } else {
            space.signal()
            waitForEnd()
            perform(job)
        }
    }

    /// Returns once everything handed over so far is stored.
    func flush() {
        let done = DispatchSemaphore(value: 0)
        submit(.then { done.signal() })
        done.wait()
    }

    /// Stores what is queued, then ends the thread. Idempotent, and safe against a `submit` at the same time.
    func close() {
        space.wait()
        let first = jobs.withLock { state in
            guard !state.closing else { return false }
            state.closing = true
            state.queue.append(.finish)
            return true
        }
        if first { waiting.signal() } else { space.signal() }
        waitForEnd()
    }

    private func waitForEnd() {
        thread.withLock { $0 }?.join()
    }

    private func run() {
        while true {
            waiting.wait()
            guard let job = jobs.withLock({ $0.queue.isEmpty ? nil : $0.queue.removeFirst() }) else { continue }
            space.signal()
            if case .finish = job { return }
            perform(job)
        }
    }

    private func perform(_ job: Job) {
        switch job {
        case .store(let entry):
            do {
                try store.append(entry)
            } catch {
                logger.error("ledger: cannot store entry n=\(entry.header.number) in \(store.path): \(error); verification will show the gap")
            }
        case .then(let action):
            action()
        case .finish:
            break
        }
    }
}
