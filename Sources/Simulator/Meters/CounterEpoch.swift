/// From `time` on, a meter shows its counters as truth × factor + `offsets`, with this reset marker.
struct CounterEpoch: Sendable, Hashable {
    var time: Double
    var offsets: [Double]
    var marker: Double
    /// Sum of the non-physical jumps of each counter so far (reset, rollover jump), in tag units.
    var jumps: [Double]
}
