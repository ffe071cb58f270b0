import Dispatch
import Glibc

/// SIGTERM, SIGINT and SIGHUP (and SIGUSR1 for debug hooks) as an async sequence, via DispatchSource:
/// the handlers run on a dispatch queue, never inside a signal context.
public enum SignalEvents {
    public static func stream(_ signals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGUSR1]) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let queue = DispatchQueue(label: "signals")
            let sources = signals.map { number -> any DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            let holder = SourceHolder(sources)
            continuation.onTermination = { _ in holder.cancel() }
        }
    }
}

/// Keeps the dispatch sources alive for as long as the stream is.
private final class SourceHolder: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() { sources.forEach { $0.cancel() } }
}
