/// A fault that changes what a meter shows without changing what it measures.
public enum Distortion: Sendable, Hashable {
    /// The primary float shows NaN; an E+H meter also reports `system_condition` = code.
    case notANumber(condition: Int)
    /// The primary gauge jumps to `factor` × its value (an out-of-range spike).
    case spike(factor: Double)
}
