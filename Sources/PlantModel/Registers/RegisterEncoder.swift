/// Turns values into register words: the inverse of `RegisterDecoder`, for tests and the simulator.
public enum RegisterEncoder {
    /// Spreads a raw bit pattern over `width` words in the given order.
    public static func words(raw: UInt64, width: Int, order: WordOrder) -> [UInt16] {
        var out = [UInt16](repeating: 0, count: width)
        for k in 0..<width {
            var word = UInt16(truncatingIfNeeded: raw >> UInt64(16 * (width - 1 - k)))
            if order.swapsBytes { word = word.byteSwapped }
            out[order.lowWordFirst ? width - 1 - k : k] = word
        }
        return out
    }

    /// The raw bit pattern of an engineering value (scale and offset undone, integers rounded and
    /// clamped to the type's range). Transforms are not undone: encode the register's own value.
    public static func raw(for value: Double, spec: DecodeSpec) -> UInt64 {
        let scaled = spec.scale == 0 ? 0 : (value - spec.offset) / spec.scale
        switch spec.type {
        case .bool: return scaled != 0 ? 1 : 0
        case .int16: return UInt64(UInt16(bitPattern: Int16(clamping: clampedInt(scaled))))
        case .uint16: return UInt64(UInt16(clamping: clampedInt(scaled)))
        case .int32: return UInt64(UInt32(bitPattern: Int32(clamping: clampedInt(scaled))))
        case .uint32: return UInt64(UInt32(clamping: clampedInt(scaled)))
        case .int64: return UInt64(bitPattern: clampedInt(scaled))
        case .uint64: return scaled <= 0 ? 0 : (scaled >= 18_446_744_073_709_551_616.0 ? .max : UInt64(scaled.rounded()))
        case .float32: return UInt64(Float(scaled).bitPattern)
        case .float64: return scaled.bitPattern
        case .bits:
            let mask = (UInt64(1) << UInt64(min(max(spec.bitCount, 1), 16))) - 1
            return (UInt64(max(0, clampedInt(scaled))) & mask) << UInt64(min(max(spec.bitOffset, 0), 15))
        case .string: return 0
        }
    }

    /// The words a device would hold for `value` under `spec` (for `sumOf` > 1, the whole value sits
    /// in the first part and the rest are zero).
    public static func words(for value: Double, spec: DecodeSpec) -> [UInt16] {
        if spec.type == .string { return [UInt16](repeating: 0, count: spec.registerCount) }
        var out = words(raw: raw(for: value, spec: spec), width: spec.type.registerWidth, order: spec.order)
        for _ in 1..<max(1, spec.sumOf) {
            out += words(raw: raw(for: spec.offset, spec: spec), width: spec.type.registerWidth, order: spec.order)
        }
        return out
    }

    /// ASCII text as `length` registers, padded with NULs.
    public static func words(text: String, length: Int, order: WordOrder = .abcd) -> [UInt16] {
        var bytes = Array(text.utf8.prefix(length * 2))
        bytes += [UInt8](repeating: 0, count: length * 2 - bytes.count)
        return (0..<length).map { index in
            let word = UInt16(bytes[2 * index]) << 8 | UInt16(bytes[2 * index + 1])
            return order.swapsBytes ? word.byteSwapped : word
        }
    }

    private static func clampedInt(_ value: Double) -> Int64 {
        guard value.isFinite else { return 0 }
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value.rounded())
    }
}
