import Foundation

/// Runs blocking work (libmodbus reads, socket I/O) on a thread of its own, never on Swift's
/// cooperative pool, and hands the result back to async code.
enum BlockingWork {
    /// Runs `body` on a new thread and returns its result.
    static func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = name
            thread.start()
        }
    }
}
