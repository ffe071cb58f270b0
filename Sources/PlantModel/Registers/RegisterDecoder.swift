/// Turns register words into engineering values. The numeric path never allocates.
public enum RegisterDecoder {
    /// Assembles `width` words starting at `offset` into one raw bit pattern, most significant first.
    @inlinable
    public static func raw(_ words: UnsafeBufferPointer<UInt16>, at offset: Int, width: Int, order: WordOrder) -> UInt64 {
        var raw: UInt64 = 0
        for k in 0..<width {
            let index = order.lowWordFirst ? offset + (width - 1 - k) : offset + k
            var word = words[index]
            if order.swapsBytes { word = word.byteSwapped }
            raw = (raw << 16) | UInt64(word)
        }
        return raw
    }

    /// Decodes one tag from a block of words, `offset` words into it.
    ///
    /// NaN or ±infinity → `bad` `NAN`; outside `minimum…maximum` → `bad` `OUT_OF_RANGE` (the value is
    /// kept for diagnosis); words missing from the buffer → `bad` `DECODE_FAILURE`.
    /// Strings are not numbers: use `decodeText`, this returns `DECODE_FAILURE` for them.
    @inlinable
    public static func decode(_ spec: DecodeSpec, words: UnsafeBufferPointer<UInt16>, at offset: Int) -> TagReading {
        guard offset >= 0, offset + spec.registerCount <= words.count, spec.type != .string else {
            return TagReading(value: .nan, quality: .bad, reason: .decodeFailure)
        }
        let width = spec.type.registerWidth
        var total = 0.0
        for part in 0..<spec.sumOf {
            let raw = raw(words, at: offset + part * width, width: width, order: spec.order)
            total += value(of: raw, spec: spec)
        }
        if spec.scaleFactorOffset > 0 {
            total = SunSpecScale.apply(total, type: spec.type, factor: words[offset + spec.scaleFactorOffset])
        }
        return finish(total, spec: spec)
    }

    /// Decodes a coil or discrete input (one byte per bit, as libmodbus returns them).
    @inlinable
    public static func decode(_ spec: DecodeSpec, bits: UnsafeBufferPointer<UInt8>, at offset: Int) -> TagReading {
        guard offset >= 0, offset < bits.count else {
            return TagReading(value: .nan, quality: .bad, reason: .decodeFailure)
        }
        return finish(bits[offset] != 0 ? 1 : 0, spec: spec)
    }

    /// Decodes an ASCII string tag (two characters per register, high byte first unless the order
    /// swaps bytes); trailing NULs and spaces are dropped. Allocates: not for the hot path.
    public static func decodeText(_ spec: DecodeSpec, words: UnsafeBufferPointer<UInt16>, at offset: Int) -> String? {
        guard offset >= 0, offset + spec.registerCount <= words.count else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(spec.registerCount * 2)
        for index in offset..<(offset + spec.registerCount) {
            let word = spec.order.swapsBytes ? words[index].byteSwapped : words[index]
            bytes.append(UInt8(word >> 8))
            bytes.append(UInt8(word & 0xFF))
        }
        while let last = bytes.last, last == 0 || last == 0x20 { bytes.removeLast() }
        let printable = bytes.map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: "?") }
        return String(decoding: printable, as: UTF8.self)
    }

    @inlinable
    static func value(of raw: UInt64, spec: DecodeSpec) -> Double {
        switch spec.type {
        case .bool: raw != 0 ? 1 : 0
        case .int16: Double(Int16(truncatingIfNeeded: raw))
        case .uint16, .uint32, .uint64: Double(raw)
        case .int32: Double(Int32(truncatingIfNeeded: raw))
        case .int64: Double(Int64(bitPattern: raw))
        case .float32: Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
        case .float64: Double(bitPattern: raw)
        case .bits:
            Double((raw >> UInt64(min(max(spec.bitOffset, 0), 15))) & ((1 << UInt64(min(max(spec.bitCount, 1), 16))) - 1))
        case .string: .nan
        }
    }

    @inlinable
    static func finish(_ raw: Double, spec: DecodeSpec) -> TagReading {
        var value = raw * spec.scale + spec.offset
        if spec.transform == .pf4q { value = PowerFactor.schneider4Q(value).pf }
        guard value.isFinite else { return TagReading(value: .nan, quality: .bad, reason: .notANumber) }
        guard value >= spec.minimum, value <= spec.maximum else {
            return TagReading(value: value, quality: .bad, reason: .outOfRange)
        }
        return TagReading(value: value, quality: .good, reason: .none)
    }
}
