import PlantModel
import Testing

/// Rows the daemon keeps one of per tag (or per queued sample) for days: their size is RSS. A 15,000-tag
/// plant holds 15,000 tag rows and a 60,000-slot sample queue.
@Suite struct RowLayoutTests {
    @Test func aSampleTakesThirtyTwoBytes() {
        #expect(MemoryLayout<Sample>.stride == 32)
    }

    @Test func aDecodeSpecTakesFortyBytes() {
        #expect(MemoryLayout<DecodeSpec>.stride == 40)
    }

    @Test func aTagRowTakesTwoHundredBytes() {
        #expect(MemoryLayout<TagDefinition>.stride == 200)
    }

    @Test func narrowFieldsReadBackWhatWasStored() {
        var spec = DecodeSpec(type: .uint16, registerCount: 125, bitOffset: 15, bitCount: 16, sumOf: 8)
        #expect(spec.registerCount == 125 && spec.bitOffset == 15 && spec.bitCount == 16 && spec.sumOf == 8)
        spec.sumOf = 0
        #expect(spec.sumOf == 1)
        #expect(DecodeSpec(type: .float32, sumOf: 2).registerCount == 4)
    }
}
