/// Decides when the edge node's first births may go out: once every meter has been polled (or has
/// failed) and a live emission of the line metrics came after that, so NBIRTH and the DBIRTHs carry
/// values rather than nulls. A plant that never gets there still gets its births after `limitNanos`.
///
/// Pure: the bridge feeds it at the end of every engine pass (engine thread).
struct BirthReadiness: Sendable {
    private let startMono: Int64
    private let limitNanos: Int64
    private let hasLines: Bool
    /// Line metric updates seen at the end of the pass before the one where every meter was first polled.
    private var metricsBeforePolled: Int?
    private var metricsLastPass = 0
    private(set) var isReady = false

    init(startMono: Int64, hasLines: Bool, limitNanos: Int64 = 30_000_000_000) {
        self.startMono = startMono
        self.hasLines = hasLines
        self.limitNanos = limitNanos
    }

    /// One engine pass ended. `metricUpdates` counts every line metric update so far; returns true once,
    /// on the pass where the births may go.
    mutating func passEnded(nowMono: Int64, everyMeterPolled: Bool, metricUpdates: Int) -> Bool {
        guard !isReady else { return false }
        defer { metricsLastPass = metricUpdates }
        if everyMeterPolled && metricsBeforePolled == nil { metricsBeforePolled = metricsLastPass }
        let linesIn = !hasLines || metricsBeforePolled.map { metricUpdates > $0 } == true
        if (everyMeterPolled && linesIn) || nowMono - startMono >= limitNanos {
            isReady = true
            return true
        }
        return false
    }
}
