/// SunSpec's integer-plus-scale-factor encoding: value = raw × 10^SF, SF an int16 register.
public enum SunSpecScale {
    /// `raw × 10^factor`, or NaN for SunSpec's "not implemented" values (int16 0x8000, uint16 0xFFFF,
    /// a factor of 0x8000). Allocation-free: the poll loop calls it per sample.
    @inlinable
    public static func apply(_ raw: Double, type: ValueType, factor word: UInt16) -> Double {
        if word == 0x8000 || (type == .int16 && raw == -32_768) || (type == .uint16 && raw == 65_535) { return .nan }
        let exponent = Int16(bitPattern: word)
        guard (-10...10).contains(exponent) else { return .nan }
        var scale = 1.0
        for _ in 0..<abs(Int(exponent)) { scale *= 10 }
        return exponent < 0 ? raw / scale : raw * scale
    }
}
