import Dispatch
import Glibc

/// Signals as an async sequence, via DispatchSource: the handlers run on a dispatch queue, never inside a
/// signal context.
///
/// On Linux, libdispatch installs its own handler for a signal when it registers the first source for it,
/// on its manager thread, some time after `resume()`. A signal that arrives while its disposition is
/// SIG_IGN and nothing is registered yet is dropped by the kernel: a daemon that set SIG_IGN early and
/// registered late ignored a `systemctl stop` sent while it started. So nothing here sets SIG_IGN (that
/// would also undo libdispatch's handler for a signal it already watches), and `stream` returns only once
/// every source is registered. Before that, a signal takes its default action; create the stream first.
public enum SignalEvents {
    public static func stream(_ signals: [Int32]) async -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let queue = DispatchQueue(label: "signals")
        let registered = DispatchGroup()
        let sources = signals.map { number -> any DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            registered.enter()
            source.setRegistrationHandler { registered.leave() }
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        let holder = SourceHolder(sources)
        continuation.onTermination = { _ in holder.cancel() }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            registered.notify(queue: queue) { done.resume() }
        }
        return stream
    }
}

/// Keeps the dispatch sources alive for as long as the stream is.
private final class SourceHolder: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() { sources.forEach { $0.cancel() } }
}
