import PlantModel

/// libFuzzer entry: the first bytes choose a decode spec (type, word order, bits, sum, scale), the rest
/// are register words at an offset that may run past them. Decoding must never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 6 else { return 0 }
    let types = ValueType.allCases, orders = WordOrder.allCases
    let type = types[Int(data[0]) % types.count]
    let order = orders[Int(data[1]) % orders.count]
    let bitOffset = Int(data[2] % 16)
    let bitCount = 1 + Int(data[3] % UInt8(16 - bitOffset))
    let sumOf = 1 + Int(data[4] % 8)
    let offset = Int(Int8(bitPattern: data[5]))
    let words = (0..<(size - 6) / 2).map { UInt16(data[6 + 2 * $0]) << 8 | UInt16(data[7 + 2 * $0]) }
    let spec = DecodeSpec(type: type, order: order, registerCount: type == .string ? max(1, words.count) : nil,
                          bitOffset: bitOffset, bitCount: bitCount, scale: 1.5, offset: -2, sumOf: type.isNumeric ? sumOf : 1,
                          transform: data[0] & 0x80 != 0 ? .pf4q : .none)
    words.withUnsafeBufferPointer { buffer in
        _ = RegisterDecoder.decode(spec, words: buffer, at: offset)
        if type == .string { _ = RegisterDecoder.decodeText(spec, words: buffer, at: offset) }
    }
    let bits = (6..<size).map { data[$0] & 1 }
    bits.withUnsafeBufferPointer { _ = RegisterDecoder.decode(spec, bits: $0, at: offset) }
    return 0
}
