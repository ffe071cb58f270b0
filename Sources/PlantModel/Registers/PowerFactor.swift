/// Power factor encodings used by meters.
public enum PowerFactor {
    /// Decodes Schneider's four-quadrant power factor register (−2…+2).
    ///
    /// Within −1…1 the value is the power factor itself (lagging). Beyond, the meter folds a leading
    /// power factor as `sign(x)·(2 − |x|)`: 1.05 means 0.95 leading.
    /// - Returns: the power factor with the register's sign, and whether it is leading.
    public static func schneider4Q(_ register: Double) -> (pf: Double, leading: Bool) {
        let magnitude = abs(register)
        guard magnitude > 1 else { return (register, false) }
        let folded = 2 - magnitude
        return (register < 0 ? -folded : folded, true)
    }

    /// Encodes a power factor in Schneider's four-quadrant form (the inverse of `schneider4Q`).
    public static func encodeSchneider4Q(pf: Double, leading: Bool) -> Double {
        guard leading else { return pf }
        let folded = 2 - abs(pf)
        return pf < 0 ? -folded : folded
    }
}
