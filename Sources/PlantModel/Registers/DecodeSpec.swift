/// Everything needed to turn a tag's registers into an engineering value.
///
/// A trivial value type (no references) so that the poll loop can keep a table of them and decode
/// without allocating.
///
/// Every tag's row in the plan holds one, so the small fields are stored narrow (the config allows at most
/// 125 registers, bits 0–15 and `sum_of` 1–8): 40 bytes instead of 80.
public struct DecodeSpec: Sendable, Hashable {
    public var type: ValueType
    public var order: WordOrder
    /// A fixed conversion applied after scale and offset.
    public var transform: ValueTransform
    private var storedBitOffset: UInt8
    private var storedBitCount: UInt8
    private var storedSumOf: UInt8
    private var storedRegisterCount: UInt16
    /// Engineering value = raw × scale + offset.
    public var scale: Double
    public var offset: Double
    /// Bounds on the engineering value; outside them the reading is `bad` (`OUT_OF_RANGE`).
    public var minimum: Double
    public var maximum: Double

    /// Registers (or bits) the tag spans in one request: width × `sumOf`, or `length` for strings.
    public var registerCount: Int {
        get { Int(storedRegisterCount) }
        set { storedRegisterCount = UInt16(clamping: newValue) }
    }

    /// First bit of a `bits` field (0 = least significant).
    public var bitOffset: Int {
        get { Int(storedBitOffset) }
        set { storedBitOffset = UInt8(clamping: newValue) }
    }

    /// Width of a `bits` field.
    public var bitCount: Int {
        get { Int(storedBitCount) }
        set { storedBitCount = UInt8(clamping: newValue) }
    }

    /// Registers from the value to its SunSpec scale factor (an int16 power of ten, the span's last register,
    /// read in the same request); 0 when the tag has none. Kept in `transform` so the row stays 40 bytes.
    public var scaleFactorOffset: Int { transform == .sunspecScaleFactor ? registerCount - 1 : 0 }

    /// The value is the sum of this many consecutive values of `type` (E+H totalizer SUM + OVERFLOW).
    public var sumOf: Int {
        get { Int(storedSumOf) }
        set { storedSumOf = UInt8(clamping: max(1, newValue)) }
    }

    public init(type: ValueType, order: WordOrder = .abcd, registerCount: Int? = nil, bitOffset: Int = 0, bitCount: Int = 1,
                scale: Double = 1, offset: Double = 0, sumOf: Int = 1, minimum: Double = -.infinity,
                maximum: Double = .infinity, transform: ValueTransform = .none) {
        self.type = type
        self.order = order
        self.transform = transform
        storedBitOffset = UInt8(clamping: bitOffset)
        storedBitCount = UInt8(clamping: bitCount)
        storedSumOf = UInt8(clamping: max(1, sumOf))
        storedRegisterCount = UInt16(clamping: registerCount ?? type.registerWidth * max(1, sumOf))
        self.scale = scale
        self.offset = offset
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// A conversion a meter's encoding needs beyond scale and offset.
public enum ValueTransform: String, Sendable, Hashable, CaseIterable, Codable {
    case none
    /// Schneider's four-quadrant power factor (−2…+2), see `PowerFactor.schneider4Q`.
    case pf4q = "pf_4q"
    /// SunSpec integer + scale factor: value × 10^SF, SF the span's last register (set by `scale_factor:`).
    case sunspecScaleFactor = "sunspec_scale_factor"

    /// The transforms a config may name in `transform:` (the SunSpec one comes with `scale_factor:`).
    public static let configurable: [ValueTransform] = [.none, .pf4q]
}

/// A decoded value with its quality, ready to become a `Sample`.
public struct TagReading: Sendable, Hashable {
    /// The engineering value; NaN when there is none.
    public var value: Double
    public var quality: Quality
    public var reason: SampleReason

    public init(value: Double, quality: Quality, reason: SampleReason) {
        self.value = value
        self.quality = quality
        self.reason = reason
    }
}
