import Foundation
import PlantModel

/// A plant clock that runs `speed` times faster than the real one, for proving calendar periods against
/// `plantgate sim --speed K --start T` in minutes instead of days. Never for production.
///
/// Plant time is an affine map of the real monotonic clock: wall and monotonic plant time advance by the
/// same scaled amount, so durations measured on either agree. The map is fixed by a pair of instants —
/// plant time `start` was current at real wall time `anchor` — so every process given the same pair
/// (a restarted daemon, the simulator) agrees on "now".
public struct SimulatedClock: Sendable, Hashable {
    /// Plant seconds per real second.
    public let speed: Double
    /// Plant wall time (ns since the epoch) at the real wall time `anchorWallNanos`.
    public let startWallNanos: Int64
    /// Real wall time (ns since the epoch) at which the plant clock showed `startWallNanos`.
    public let anchorWallNanos: Int64
    /// Real monotonic time the map is taken from, and the plant wall time then.
    let originMonoNanos: Int64
    let originPlantWallNanos: Int64

    /// The clock through (`anchorWallNanos`, `startWallNanos`), pinned to the real instant `real`.
    public init(speed: Double, startWallNanos: Int64, anchorWallNanos: Int64, real: Instant) {
        self.speed = speed
        self.startWallNanos = startWallNanos
        self.anchorWallNanos = anchorWallNanos
        originMonoNanos = real.monoNanos
        originPlantWallNanos = startWallNanos + Int64((Double(real.wallNanos - anchorWallNanos) * speed).rounded())
    }

    /// The plant instant at a real instant. Monotonic plant time starts at the real monotonic time of
    /// the origin, so values stay far from overflow for any realistic run.
    @inline(__always)
    public func plantTime(of real: Instant) -> Instant {
        let elapsed = Int64(Double(real.monoNanos - originMonoNanos) * speed)
        return Instant(wallNanos: originPlantWallNanos &+ elapsed, monoNanos: originMonoNanos &+ elapsed)
    }

    /// A real duration in plant nanoseconds.
    public func plantNanos(real nanos: Int64) -> Int64 { Int64((Double(nanos) * speed).rounded()) }

    /// Parses `K@START` or `K@START@ANCHOR` (the value of `PLANTGATE_SIMULATED_CLOCK`): K plant seconds per
    /// real second; plant time START (RFC 3339) at real time ANCHOR (RFC 3339; default: `real`, i.e. now).
    public static func parse(_ text: String, real: Instant) throws(SimulatedClockError) -> SimulatedClock {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 || parts.count == 3 else {
            throw SimulatedClockError(text: text, problem: "expected K@START or K@START@ANCHOR")
        }
        guard let speed = Double(parts[0]), speed.isFinite, speed > 0, speed <= 100_000 else {
            throw SimulatedClockError(text: text, problem: "speed '\(parts[0])' must be a number > 0 and ≤ 100000")
        }
        guard let start = wallNanos(rfc3339: parts[1]) else {
            throw SimulatedClockError(text: text, problem: "START '\(parts[1])' is not an RFC 3339 time")
        }
        var anchor = real.wallNanos
        if parts.count == 3 {
            guard let parsed = wallNanos(rfc3339: parts[2]) else {
                throw SimulatedClockError(text: text, problem: "ANCHOR '\(parts[2])' is not an RFC 3339 time")
            }
            anchor = parsed
        }
        return SimulatedClock(speed: speed, startWallNanos: start, anchorWallNanos: anchor, real: real)
    }

    /// Nanoseconds since the epoch of an RFC 3339 time, with or without fractional seconds.
    static func wallNanos(rfc3339 text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var date = formatter.date(from: text)
        if date == nil {
            formatter.formatOptions = [.withInternetDateTime]
            date = formatter.date(from: text)
        }
        guard let date else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded()) * 1_000_000
    }
}

/// `PLANTGATE_SIMULATED_CLOCK` could not be read: the value and what is wrong with it.
public struct SimulatedClockError: Error, Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let problem: String

    public var description: String {
        "\(SystemClock.simulationVariable)=\"\(text)\": \(problem); write e.g. 480@2026-01-01T00:00:00Z "
            + "or 480@2026-01-01T00:00:00Z@2025-06-01T10:00:00.000Z (plant time START at real time ANCHOR), or unset it"
    }
}
