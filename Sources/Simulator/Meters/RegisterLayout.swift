import ModbusProtocol
import PlantModel

/// A profile's register map as the simulated device holds it: which words each tag occupies, and
/// which address ranges the device answers at all.
public struct RegisterLayout: Sendable, Hashable {
    /// One tag's place and encoding.
    public struct Slot: Sendable, Hashable {
        public var tag: String
        public var address: Int
        public var spec: DecodeSpec
    }

    /// Tags in register order (composite tags like `volume_total`, sums of others, are left out).
    public let slots: [Slot]
    /// The table(s) the device answers on.
    public let tables: Set<RegisterTable>
    /// Address ranges the device implements; reading outside them is an illegal data address.
    public let regions: [Range<Int>]

    /// The layout of `profile`. Tags closer than `mergeGap` registers share a region (gaps read as 0).
    public init(profile: MeterProfile, extraTables: Set<RegisterTable> = [], mergeGap: Int = 100) {
        var slots: [Slot] = []
        var tables = extraTables
        for tag in profile.tags where (tag.sumOf ?? 1) <= 1 {
            guard let register = tag.register, let type = tag.type else { continue }
            tables.insert(register.table)
            let spec = DecodeSpec(type: type, order: tag.order ?? .abcd, scale: tag.scale ?? 1, offset: tag.offset ?? 0,
                                  transform: tag.transform ?? .none)
            slots.append(Slot(tag: tag.name, address: register.address, spec: spec))
        }
        slots.sort { $0.address < $1.address }
        var regions: [Range<Int>] = []
        for slot in slots {
            let span = slot.address..<(slot.address + slot.spec.registerCount)
            if let last = regions.last, span.lowerBound <= last.upperBound + mergeGap {
                regions[regions.count - 1] = last.lowerBound..<max(last.upperBound, span.upperBound)
            } else {
                regions.append(span)
            }
        }
        self.slots = slots
        self.tables = tables
        self.regions = regions
    }

    /// Whether every address of `range` is implemented.
    public func implements(_ range: Range<Int>) -> Bool {
        regions.contains { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }
    }

    /// The words of `range` for these tag values (unmapped addresses read 0, NaN stays NaN).
    public func words(_ range: Range<Int>, values: [String: Double]) -> [UInt16] {
        var out = [UInt16](repeating: 0, count: range.count)
        for slot in slots {
            let span = slot.address..<(slot.address + slot.spec.registerCount)
            guard span.overlaps(range), let value = values[slot.tag] else { continue }
            let words = Self.encode(value, spec: slot.spec)
            for (offset, word) in words.enumerated() where range.contains(slot.address + offset) {
                out[slot.address + offset - range.lowerBound] = word
            }
        }
        return out
    }

    /// Encodes one value; unsigned raw counters wrap as the device's register does instead of clamping.
    static func encode(_ value: Double, spec: DecodeSpec) -> [UInt16] {
        if let modulus = spec.type.counterModulus, value.isFinite, spec.scale > 0 {
            let raw = ((value - spec.offset) / spec.scale).rounded(.down)
            let wrapped = raw - (raw / modulus).rounded(.down) * modulus
            return RegisterEncoder.words(raw: UInt64(wrapped), width: spec.type.registerWidth, order: spec.order)
        }
        switch spec.type {
        case .int64, .int32, .uint64:
            // A meter shows whole units registered so far.
            let whole = ((value - spec.offset) / spec.scale).rounded(.down) * spec.scale + spec.offset
            return RegisterEncoder.words(for: whole, spec: spec)
        default:
            return RegisterEncoder.words(for: value, spec: spec)
        }
    }
}
