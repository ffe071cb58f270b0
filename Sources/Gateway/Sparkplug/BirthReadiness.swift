/// Decides when the edge node's first births may go out: once every meter has been polled twice (two
/// readings give a counter its first delta and power its first trapezoid) and a live emission of the line
/// metrics came after that, so NBIRTH and the DBIRTHs carry values rather than nulls. A plant that never
/// gets there still gets its births after `limitNanos`.
///
/// Pure: the bridge feeds it at the end of every engine pass (engine thread).
struct BirthReadiness: Sendable {
    private let startMono: Int64
    private let limitNanos: Int64
    private let hasLines: Bool
    /// Line metric updates seen by the end of the pass where every meter was first polled twice.
    private var metricsWhenPolled: Int?
    private(set) var isReady = false

    init(startMono: Int64, hasLines: Bool, limitNanos: Int64 = 30_000_000_000) {
        self.startMono = startMono
        self.hasLines = hasLines
        self.limitNanos = limitNanos
    }

    /// When the births go out whatever the meters do (monotonic ns); nil once they may.
    var deadlineMono: Int64? { isReady ? nil : startMono + limitNanos }

    /// One engine pass ended. `metricUpdates` counts every line metric update so far; returns true once,
    /// on the pass where the births may go.
    mutating func passEnded(nowMono: Int64, everyMeterPolled: Bool, metricUpdates: Int) -> Bool {
        guard !isReady else { return false }
        var due = nowMono - startMono >= limitNanos
        if let before = metricsWhenPolled {
            due = due || !hasLines || metricUpdates > before
        } else if everyMeterPolled {
            // This pass may have computed the lines before the second readings came in: wait for the next emission.
            metricsWhenPolled = metricUpdates
            due = due || !hasLines
        }
        if due { isReady = true }
        return due
    }
}
