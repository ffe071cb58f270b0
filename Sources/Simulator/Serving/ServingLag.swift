/// How late the simulator itself was in answering: requests that waited on the plant's lock or on the
/// plant catching up with the clock before their reply could be computed.
///
/// A slow simulator must never be mistaken for a slow gateway, so the first such wait is reported with
/// its figure (once), and the count and worst at the end.
public struct ServingLag: Sendable, Hashable {
    /// A wait longer than this counts. Well above a normal catch-up (a fraction of a millisecond) and the
    /// scheduling noise of a loaded box, well below any gateway's response timeout.
    public static let thresholdMilliseconds = 10.0

    /// Requests that waited longer than `thresholdMilliseconds`.
    public private(set) var count = 0
    /// The longest wait seen, in milliseconds.
    public private(set) var worstMilliseconds = 0.0
    /// The first late request: `a read of unit 1 on bus mcc waited 23.4 ms`.
    public private(set) var first: String?

    public init() {}

    mutating func note(milliseconds: Double, bus: String, unit: UInt8) {
        count += 1
        worstMilliseconds = max(worstMilliseconds, milliseconds)
        if first == nil { first = "a read of unit \(unit) on bus \(bus) waited \(Self.text(milliseconds)) ms" }
    }

    /// One decimal: `23.4`.
    static func text(_ milliseconds: Double) -> String {
        String((milliseconds * 10).rounded() / 10)
    }

    /// `12 request(s) waited over 10 ms for the simulator itself (worst 41.2 ms)`, or nil when none did.
    public var summary: String? {
        guard count > 0 else { return nil }
        return "\(count) request(s) waited over \(Int(Self.thresholdMilliseconds)) ms for the simulator itself (worst \(Self.text(worstMilliseconds)) ms)"
    }
}
