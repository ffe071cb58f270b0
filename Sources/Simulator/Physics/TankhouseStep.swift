/// A step in a tankhouse's energy efficiency: from `atEpoch` (Unix time) on, its cell voltage is `factor`
/// times what it was (0.95: 5 % less DC energy per tonne of cathode, as after new anodes or a spacer
/// campaign), so a baseline's CUSUM has a known change to follow. `plantgate sim --tankhouse-step`.
public struct TankhouseStep: Sendable, Hashable {
    public var atEpoch: Double
    public var factor: Double

    public init(atEpoch: Double, factor: Double) {
        self.atEpoch = atEpoch
        self.factor = factor
    }
}
