import POSIX
import Synchronization

/// Where ``JournalLogHandler`` writes its finished lines. Injected so tests can capture output.
public protocol LogLineSink: Sendable {
    /// Writes one complete line; `line` already ends in `\n`.
    func write(line: String)
}

/// Writes lines to file descriptor 2, which systemd connects to the journal.
///
/// Each line goes out in one `write(2)` call under a lock, so lines from the bus threads and the
/// MQTT callback thread never interleave. A failed write is dropped: there is nowhere left to report it.
public final class StandardErrorSink: LogLineSink {
    /// The process-wide stderr sink.
    public static let shared = StandardErrorSink()

    private let lock = Mutex(())

    private init() {}

    public func write(line: String) {
        let bytes = Array(line.utf8)
        self.lock.withLock { _ in
            bytes.withUnsafeBytes { StandardError.write($0) }
        }
    }
}
