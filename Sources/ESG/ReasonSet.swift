import PlantModel

/// Reason codes a window collects (metrics.md §5.7), as a bit set so the per-sample path never allocates.
public struct ReasonSet: OptionSet, Sendable, Hashable, Codable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let rollover = ReasonSet(rawValue: 1 << 0)
    public static let reset = ReasonSet(rawValue: 1 << 1)
    public static let jump = ReasonSet(rawValue: 1 << 2)
    public static let backwards = ReasonSet(rawValue: 1 << 3)
    public static let gapFilled = ReasonSet(rawValue: 1 << 4)
    public static let stale = ReasonSet(rawValue: 1 << 5)
    public static let notANumber = ReasonSet(rawValue: 1 << 6)
    public static let exception = ReasonSet(rawValue: 1 << 7)
    public static let timeout = ReasonSet(rawValue: 1 << 8)
    public static let connection = ReasonSet(rawValue: 1 << 9)
    public static let garbled = ReasonSet(rawValue: 1 << 10)
    public static let outOfRange = ReasonSet(rawValue: 1 << 11)
    public static let deviceDown = ReasonSet(rawValue: 1 << 12)
    public static let decodeFailure = ReasonSet(rawValue: 1 << 13)
    public static let restart = ReasonSet(rawValue: 1 << 14)
    public static let missingFactor = ReasonSet(rawValue: 1 << 15)
    /// The wall clock stepped against the monotonic one (NTP, an operator) by more than a second (§5.8).
    public static let clockStep = ReasonSet(rawValue: 1 << 16)
    /// The line's configuration (inputs, factors or calendar) changed by a reload while the period was open.
    public static let config = ReasonSet(rawValue: 1 << 17)
    /// A derived figure lies outside its physically plausible range (electrowinning current efficiency,
    /// DC kWh per tonne): kept, but `uncertain`.
    public static let implausible = ReasonSet(rawValue: 1 << 18)

    private static let names: [(ReasonSet, String)] = [
        (.rollover, "ROLLOVER"), (.reset, "RESET"), (.jump, "JUMP"), (.backwards, "BACKWARDS"),
        (.gapFilled, "GAP_FILLED"), (.stale, "STALE"), (.notANumber, "NAN"), (.exception, "EXCEPTION"),
        (.timeout, "TIMEOUT"), (.connection, "CONNECTION"), (.garbled, "GARBLED"),
        (.outOfRange, "OUT_OF_RANGE"), (.deviceDown, "DEVICE_DOWN"), (.decodeFailure, "DECODE_FAILURE"),
        (.restart, "RESTART"), (.missingFactor, "MISSING_FACTOR"), (.clockStep, "CLOCK_STEP"), (.config, "CONFIG"),
        (.implausible, "IMPLAUSIBLE"),
    ]

    /// The wire codes, in a fixed order.
    public var codes: [String] { Self.names.compactMap { contains($0.0) ? $0.1 : nil } }

    /// The code a sample's own reason contributes.
    public init(_ reason: SampleReason) {
        switch reason {
        case .none: self = []
        case .timeout: self = .timeout
        case .exception: self = .exception
        case .connection: self = .connection
        case .garbled: self = .garbled
        case .notANumber: self = .notANumber
        case .outOfRange: self = .outOfRange
        case .stale: self = .stale
        case .deviceDown: self = .deviceDown
        case .decodeFailure: self = .decodeFailure
        }
    }
}
