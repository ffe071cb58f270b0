import Logging
import Synchronization

/// Keeps a repeating condition (a meter timing out every poll) from flooding the journal.
///
/// Per key (a device id, a bus, a topic): the first occurrence is logged; identical repeats are counted,
/// not logged; once per `window` a summary `… (repeated N times in the last 60 s)` is logged; a different
/// message is logged at once (after summarising the old one), while one of the key's last few messages
/// seen again counts as a repeat (so alternating errors do not flood); and ``clear(key:)`` logs that the
/// condition ended. The decisions are returned as ``Line`` values, so the policy is testable with an injected clock;
/// ``log(_:key:level:metadata:to:)`` and friends write them to a `Logger`. Thread-safe.
public final class LogRateLimiter: Sendable {
    /// One line the caller should log.
    public struct Line: Sendable, Equatable {
        /// Why the line exists.
        public enum Kind: Sendable, Equatable {
            /// A new condition, or a changed message for the key.
            case occurrence
            /// A summary of suppressed identical repeats.
            case repeated(count: Int)
            /// The condition went away.
            case cleared
        }

        public var kind: Kind
        public var key: String
        public var text: String
        /// The level the caller gave for the condition; ``Kind/cleared`` lines use `.notice`.
        public var level: Logger.Level
        /// The metadata the caller gave with the most recent occurrence.
        public var metadata: Logger.Metadata
    }

    /// One message seen for a key, and its repeats not yet summarised.
    private struct Variant {
        var message: String
        var level: Logger.Level
        var metadata: Logger.Metadata
        var windowStart: ContinuousClock.Instant
        var repeats: Int
    }

    /// The messages a key's condition has shown, most recent last: a device alternating between two errors
    /// (a timeout, then a reset connection) stays one condition instead of a line per change.
    private struct Condition {
        var variants: [Variant]
    }

    /// Distinct messages remembered per key; an older one seen again is logged as new.
    private static let remembered = 4

    private let window: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let conditions = Mutex([String: Condition]())

    /// Creates a limiter that summarises repeats once per `window`.
    ///
    /// - Parameter now: injected clock, so tests can move time without sleeping.
    public init(window: Duration = .seconds(60), now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.window = window
        self.now = now
    }

    /// Records that `message` happened for `key`; returns the lines to log (often none).
    ///
    /// A message the key's condition showed recently counts as a repeat even if another came in between.
    public func note(_ message: String, key: String, level: Logger.Level = .error, metadata: Logger.Metadata = [:]) -> [Line] {
        let instant = self.now()
        let fresh = Variant(message: message, level: level, metadata: metadata, windowStart: instant, repeats: 0)
        let occurrence = Line(kind: .occurrence, key: key, text: message, level: level, metadata: metadata)
        return self.conditions.withLock { conditions in
            guard var condition = conditions[key] else {
                conditions[key] = Condition(variants: [fresh])
                return [occurrence]
            }
            var lines: [Line] = []
            if let index = condition.variants.firstIndex(where: { $0.message == message }) {
                var variant = condition.variants.remove(at: index)
                variant.repeats += 1
                variant.metadata = metadata
                if instant - variant.windowStart >= self.window {
                    lines.append(self.summary(of: variant, key: key, at: instant))
                    variant.windowStart = instant
                    variant.repeats = 0
                }
                condition.variants.append(variant)
            } else {
                for index in condition.variants.indices where condition.variants[index].repeats > 0 {
                    lines.append(self.summary(of: condition.variants[index], key: key, at: instant))
                    condition.variants[index].windowStart = instant
                    condition.variants[index].repeats = 0
                }
                condition.variants.append(fresh)
                if condition.variants.count > Self.remembered { condition.variants.removeFirst() }
                lines.append(occurrence)
            }
            conditions[key] = condition
            return lines
        }
    }

    /// Records that the condition for `key` ended; returns the pending summaries and a `cleared` line
    /// (naming the most recent message), or nothing if no condition was active.
    public func clear(key: String) -> [Line] {
        let instant = self.now()
        return self.conditions.withLock { conditions in
            guard let condition = conditions.removeValue(forKey: key), let last = condition.variants.last else { return [] }
            var lines = condition.variants.filter { $0.repeats > 0 }.map { self.summary(of: $0, key: key, at: instant) }
            lines.append(Line(kind: .cleared, key: key, text: "cleared: \(last.message)", level: .notice, metadata: last.metadata))
            return lines
        }
    }

    /// Summaries for every message whose window ended with repeats still uncounted. Call it from a timer so
    /// a condition that stops being noted without being cleared is still summarised.
    public func dueSummaries() -> [Line] {
        let instant = self.now()
        return self.conditions.withLock { conditions in
            var lines: [Line] = []
            for key in conditions.keys.sorted() {
                guard var condition = conditions[key] else { continue }
                for index in condition.variants.indices {
                    guard condition.variants[index].repeats > 0, instant - condition.variants[index].windowStart >= self.window else { continue }
                    lines.append(self.summary(of: condition.variants[index], key: key, at: instant))
                    condition.variants[index].windowStart = instant
                    condition.variants[index].repeats = 0
                }
                conditions[key] = condition
            }
            return lines
        }
    }

    /// Keys with an active condition, sorted.
    public var activeKeys: [String] {
        self.conditions.withLock { $0.keys.sorted() }
    }

    private func summary(of condition: Variant, key: String, at instant: ContinuousClock.Instant) -> Line {
        let seconds = (instant - condition.windowStart).components.seconds
        let times = condition.repeats == 1 ? "1 time" : "\(condition.repeats) times"
        return Line(
            kind: .repeated(count: condition.repeats), key: key,
            text: "\(condition.message) (repeated \(times) in the last \(seconds) s)",
            level: condition.level, metadata: condition.metadata
        )
    }
}

extension LogRateLimiter {
    /// Notes `message` for `key` and writes whatever lines are due to `logger`.
    public func log(_ message: String, key: String, level: Logger.Level = .error, metadata: Logger.Metadata = [:], to logger: Logger) {
        Self.write(self.note(message, key: key, level: level, metadata: metadata), to: logger)
    }

    /// Clears `key` and writes the summary and `cleared` lines to `logger`.
    public func logClear(key: String, to logger: Logger) {
        Self.write(self.clear(key: key), to: logger)
    }

    /// Writes ``dueSummaries()`` to `logger`.
    public func logDueSummaries(to logger: Logger) {
        Self.write(self.dueSummaries(), to: logger)
    }

    private static func write(_ lines: [Line], to logger: Logger) {
        for line in lines {
            logger.log(level: line.level, "\(line.text)", metadata: line.metadata)
        }
    }
}
