/// `devices[]`: one meter on a bus.
public struct DeviceConfig: Sendable, Hashable {
    public var id: String
    public var bus: String
    /// Modbus unit (slave) id: 1…247 on serial, 0…255 on TCP.
    public var unit: Int
    public var interval: Duration = .seconds(1)
    /// Largest hole (registers) a request may span to join two tags.
    public var maxGap: Int = 8
    /// A built-in meter profile (`plantgate profiles`), whose tags the device gets.
    public var profile: String?
    /// With a profile: only these of its tags.
    public var only: [String]?
    /// Inline tags, and per-name overrides of profile tags, in file order.
    public var tags: [TagConfig] = []

    public init(id: String, bus: String, unit: Int, interval: Duration = .seconds(1), maxGap: Int = 8,
                profile: String? = nil, only: [String]? = nil, tags: [TagConfig] = []) {
        self.id = id
        self.bus = bus
        self.unit = unit
        self.interval = interval
        self.maxGap = maxGap
        self.profile = profile
        self.only = only
        self.tags = tags
    }
}

/// Whether a tag is an instantaneous value or an accumulating counter.
public enum TagKind: String, Sendable, Hashable, CaseIterable {
    case gauge, counter
}

/// One tag as written: every field optional, so that the same type serves as an inline tag (register
/// required) and as an override of a profile tag (any subset of fields).
public struct TagConfig: Sendable, Hashable {
    public var name: String
    public var register: RegisterAddress?
    public var type: ValueType?
    public var order: WordOrder?
    public var unit: String?
    public var scale: Double?
    public var offset: Double?
    public var min: Double?
    public var max: Double?
    public var interval: Duration?
    public var kind: TagKind?
    /// Largest plausible rate, in the tag's unit per hour (counters).
    public var maxRate: Double?
    /// Wrap value in the tag's unit (counters); default from the type for uint16/uint32.
    public var modulus: Double?
    /// `bit: N` of a register.
    public var bit: Int?
    /// `bits: "4-7"` of a register.
    public var bits: ClosedRange<Int>?
    /// String length in registers.
    public var length: Int?
    /// Sum of this many consecutive values (read in one request).
    public var sumOf: Int?
    public var transform: ValueTransform?
    /// Last topic level instead of the tag name.
    public var topic: String?
    /// Tag (same device) whose change marks a reset of this counter.
    public var resetMarker: String?
    /// A SunSpec scale-factor register (int16 power of ten) after the value, read with it every poll.
    public var scaleFactor: RegisterAddress?

    public init(name: String, register: RegisterAddress? = nil, type: ValueType? = nil, order: WordOrder? = nil,
                unit: String? = nil, scale: Double? = nil, offset: Double? = nil, min: Double? = nil, max: Double? = nil,
                interval: Duration? = nil, kind: TagKind? = nil, maxRate: Double? = nil, modulus: Double? = nil,
                bit: Int? = nil, bits: ClosedRange<Int>? = nil, length: Int? = nil, sumOf: Int? = nil,
                transform: ValueTransform? = nil, topic: String? = nil, resetMarker: String? = nil) {
        self.name = name
        self.register = register
        self.type = type
        self.order = order
        self.unit = unit
        self.scale = scale
        self.offset = offset
        self.min = min
        self.max = max
        self.interval = interval
        self.kind = kind
        self.maxRate = maxRate
        self.modulus = modulus
        self.bit = bit
        self.bits = bits
        self.length = length
        self.sumOf = sumOf
        self.transform = transform
        self.topic = topic
        self.resetMarker = resetMarker
    }

    /// This tag with every field `override` sets taking precedence.
    public func overridden(by override: TagConfig) -> TagConfig {
        var merged = self
        merged.register = override.register ?? register
        merged.type = override.type ?? type
        merged.order = override.order ?? order
        merged.unit = override.unit ?? unit
        merged.scale = override.scale ?? scale
        merged.offset = override.offset ?? offset
        merged.min = override.min ?? min
        merged.max = override.max ?? max
        merged.interval = override.interval ?? interval
        merged.kind = override.kind ?? kind
        merged.maxRate = override.maxRate ?? maxRate
        merged.modulus = override.modulus ?? modulus
        merged.bit = override.bit ?? bit
        merged.bits = override.bits ?? bits
        merged.length = override.length ?? length
        merged.sumOf = override.sumOf ?? sumOf
        merged.transform = override.transform ?? transform
        merged.topic = override.topic ?? topic
        merged.resetMarker = override.resetMarker ?? resetMarker
        merged.scaleFactor = override.scaleFactor ?? scaleFactor
        return merged
    }
}
