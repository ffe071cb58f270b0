/// Index of a tag in the plant's tag table; samples carry this instead of a name so the hot path
/// never allocates or hashes strings.
public typealias TagIndex = Int32

/// A point in time as both clocks saw it: wall time for labels and calendars, monotonic time for
/// every duration (a wall-clock step must never stretch or shrink an integral).
public struct Instant: Sendable, Hashable, Codable {
    /// Nanoseconds since the Unix epoch, UTC.
    public var wallNanos: Int64
    /// Nanoseconds of `CLOCK_MONOTONIC`.
    public var monoNanos: Int64

    public init(wallNanos: Int64, monoNanos: Int64) {
        self.wallNanos = wallNanos
        self.monoNanos = monoNanos
    }

    /// Wall time in seconds since the epoch.
    public var wallSeconds: Double { Double(wallNanos) / 1e9 }
}

/// One decoded reading of one tag. A trivial value type: copying it never allocates.
///
/// Fields are ordered so that the small ones share a word: 32 bytes a sample, not 40, in every queue
/// and table that holds one per tag.
public struct Sample: Sendable, Hashable {
    public var tag: TagIndex
    public var quality: Quality
    /// Why the quality is not good, when it is not.
    public var reason: SampleReason
    /// Engineering value after decode, scale and offset. NaN when `quality == .bad` for lack of a value.
    public var value: Double
    /// When the request that produced this sample was sent.
    public var time: Instant

    public init(tag: TagIndex, value: Double, quality: Quality, reason: SampleReason = .none, time: Instant) {
        self.tag = tag
        self.value = value
        self.quality = quality
        self.reason = reason
        self.time = time
    }
}

/// A compact reason code for a sample's quality (the trail an ESG analyst needs, metrics.md §5.7).
public enum SampleReason: UInt8, Sendable, Hashable, Codable {
    case none
    case timeout
    case exception
    case connection
    case garbled
    case notANumber
    case outOfRange
    case stale
    case deviceDown
    case decodeFailure

    public var code: String {
        switch self {
        case .none: "OK"
        case .timeout: "TIMEOUT"
        case .exception: "EXCEPTION"
        case .connection: "CONNECTION"
        case .garbled: "GARBLED"
        case .notANumber: "NAN"
        case .outOfRange: "OUT_OF_RANGE"
        case .stale: "STALE"
        case .deviceDown: "DEVICE_DOWN"
        case .decodeFailure: "DECODE_FAILURE"
        }
    }
}
