import Testing
@testable import PlantModel

@Suite struct RegisterDecoderTests {
    func decode(_ words: [UInt16], _ spec: DecodeSpec, at offset: Int = 0) -> TagReading {
        words.withUnsafeBufferPointer { RegisterDecoder.decode(spec, words: $0, at: offset) }
    }

    @Test func meterDocumentationExamplesDecode() {
        // Worked examples: 1,250.5 kW → 0x449C 0x5000; 123,456,789 Wh INT64 → 0 0 0x075B 0xCD15; 412.75 m3/h CDAB.
        #expect(decode([0x449C, 0x5000], DecodeSpec(type: .float32)).value == 1250.5)
        #expect(decode([0, 0, 0x075B, 0xCD15], DecodeSpec(type: .int64)).value == 123_456_789)
        #expect(decode([0x6000, 0x43CE], DecodeSpec(type: .float32, order: .cdab)).value == 412.75)
        #expect(RegisterEncoder.words(for: 412.75, spec: DecodeSpec(type: .float32, order: .cdab)) == [0x6000, 0x43CE])
    }

    @Test func nanAndInfinityAreBadNotANumber() {
        let nan = RegisterEncoder.words(raw: UInt64(Float.nan.bitPattern), width: 2, order: .abcd)
        let reading = decode(nan, DecodeSpec(type: .float32))
        #expect(reading.quality == .bad)
        #expect(reading.reason == .notANumber)
        #expect(decode([0x7F80, 0], DecodeSpec(type: .float32)).reason == .notANumber)   // +inf
    }

    @Test func valuesOutsideBoundsAreBadOutOfRange() {
        let spec = DecodeSpec(type: .float32, minimum: 45, maximum: 55)
        #expect(decode(RegisterEncoder.words(for: 50, spec: spec), spec).quality == .good)
        let high = decode(RegisterEncoder.words(for: 60, spec: spec), spec)
        #expect(high.quality == .bad && high.reason == .outOfRange && high.value == 60)
    }

    @Test func missingWordsAreADecodeFailure() {
        #expect(decode([1], DecodeSpec(type: .uint32)).reason == .decodeFailure)
        #expect(decode([1, 2, 3], DecodeSpec(type: .uint32), at: 2).reason == .decodeFailure)
    }

    @Test func scaleOffsetBitsAndSums() {
        #expect(decode([0x0001, 0x86A0], DecodeSpec(type: .uint32, scale: 0.01)).value == 1000)
        #expect(decode([100], DecodeSpec(type: .int16, scale: 0.1, offset: -273.15)).value == 10 * 1 - 273.15)
        #expect(decode([0b1010_0000], DecodeSpec(type: .bits, bitOffset: 4, bitCount: 4)).value == 0b1010)
        #expect(decode([0b1010_0000], DecodeSpec(type: .bits, bitOffset: 5)).value == 1)
        #expect(decode([0xFFFF], DecodeSpec(type: .int16)).value == -1)
        // E+H volume_total: SUM + OVERFLOW read in one request.
        let sum = RegisterEncoder.words(for: 1234.5, spec: DecodeSpec(type: .float32, order: .cdab))
        let overflow = RegisterEncoder.words(for: 1e7, spec: DecodeSpec(type: .float32, order: .cdab))
        #expect(decode(sum + overflow, DecodeSpec(type: .float32, order: .cdab, sumOf: 2)).value == 10_001_234.5)
    }

    @Test func coilsDecodeFromBitBytes() {
        let bits: [UInt8] = [0, 1, 0]
        let reading = bits.withUnsafeBufferPointer { RegisterDecoder.decode(DecodeSpec(type: .bool), bits: $0, at: 1) }
        #expect(reading.value == 1 && reading.quality == .good)
    }

    @Test func schneiderFourQuadrantPowerFactor() {
        #expect(PowerFactor.schneider4Q(0.92) == (0.92, false))
        let leading = PowerFactor.schneider4Q(1.05)
        #expect(abs(leading.pf - 0.95) < 1e-12 && leading.leading)
        let negative = PowerFactor.schneider4Q(-1.2)
        #expect(abs(negative.pf + 0.8) < 1e-12 && negative.leading)
        let spec = DecodeSpec(type: .float32, transform: .pf4q)
        #expect(abs(decode(RegisterEncoder.words(for: 1.05, spec: DecodeSpec(type: .float32)), spec).value - 0.95) < 1e-6)
        #expect(abs(PowerFactor.encodeSchneider4Q(pf: 0.95, leading: true) - 1.05) < 1e-12)
    }

    @Test func textDecodes() {
        let spec = DecodeSpec(type: .string, registerCount: 4)
        let words = RegisterEncoder.words(text: "PM5560", length: 4)
        #expect(words.withUnsafeBufferPointer { RegisterDecoder.decodeText(spec, words: $0, at: 0) } == "PM5560")
        let swapped = RegisterEncoder.words(text: "PM5560", length: 4, order: .badc)
        let swappedSpec = DecodeSpec(type: .string, order: .badc, registerCount: 4)
        #expect(swapped.withUnsafeBufferPointer { RegisterDecoder.decodeText(swappedSpec, words: $0, at: 0) } == "PM5560")
    }

    static let numericTypes: [ValueType] = [.int16, .uint16, .int32, .uint32, .int64, .uint64, .float32, .float64]

    /// Seeded property test: for every type and order, encode → decode gives the value back.
    @Test(arguments: numericTypes, WordOrder.allCases)
    func encodeThenDecodeRoundTrips(type: ValueType, order: WordOrder) {
        var generator = SeededGenerator(seed: UInt64(type.registerWidth * 31 + order.rawValue.count) &+ UInt64(type.hashValue & 0xFF))
        let spec = DecodeSpec(type: type, order: order)
        for _ in 0..<500 {
            let value: Double = switch type {
            case .int16: Double(Int16.random(in: .min ... .max, using: &generator))
            case .uint16: Double(UInt16.random(in: .min ... .max, using: &generator))
            case .int32: Double(Int32.random(in: .min ... .max, using: &generator))
            case .uint32: Double(UInt32.random(in: .min ... .max, using: &generator))
            case .int64: Double(Int64.random(in: -(1 << 53) ... (1 << 53), using: &generator))
            case .uint64: Double(UInt64.random(in: 0 ... (1 << 53), using: &generator))
            case .float32: Double(Float(bitPattern: UInt32.random(in: 0 ... 0x7F7F_FFFF, using: &generator)))
                * (Bool.random(using: &generator) ? 1 : -1)
            default: Double(bitPattern: UInt64.random(in: 0 ... 0x7FEF_FFFF_FFFF_FFFF, using: &generator))
            }
            let words = RegisterEncoder.words(for: value, spec: spec)
            #expect(words.count == type.registerWidth)
            let reading = decode([0xDEAD] + words + [0xBEEF], spec, at: 1)
            #expect(reading.value == value, "\(type) \(order) \(value) → \(words)")
            #expect(reading.quality == .good)
        }
    }

    @Test(arguments: [1, 2, 4], WordOrder.allCases)
    func rawPatternsRoundTripExactly(width: Int, order: WordOrder) {
        var generator = SeededGenerator(seed: UInt64(width * 7))
        for _ in 0..<500 {
            let raw = UInt64.random(in: 0 ... .max, using: &generator) >> UInt64(64 - 16 * width)
            let words = RegisterEncoder.words(raw: raw, width: width, order: order)
            #expect(words.withUnsafeBufferPointer { RegisterDecoder.raw($0, at: 0, width: width, order: order) } == raw)
        }
    }

    @Test func wordOrdersPlaceBytesAsNamed() {
        let raw: UInt64 = 0xAABB_CCDD
        #expect(RegisterEncoder.words(raw: raw, width: 2, order: .abcd) == [0xAABB, 0xCCDD])
        #expect(RegisterEncoder.words(raw: raw, width: 2, order: .cdab) == [0xCCDD, 0xAABB])
        #expect(RegisterEncoder.words(raw: raw, width: 2, order: .badc) == [0xBBAA, 0xDDCC])
        #expect(RegisterEncoder.words(raw: raw, width: 2, order: .dcba) == [0xDDCC, 0xBBAA])
    }
}
