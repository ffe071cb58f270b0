import ModbusProtocol
import Testing
@testable import PlantModel

@Suite struct ReadPlannerTests {
    func span(_ tag: Int, _ table: RegisterTable, _ address: Int, _ count: Int) -> TagSpan {
        TagSpan(tag: TagIndex(tag), address: RegisterAddress(table: table, address: address), count: count)
    }

    func span(_ tag: Int, _ address: Int, _ count: Int) -> TagSpan { span(tag, .holding, address, count) }

    /// Every tag's span lies inside exactly one request, whose limit is respected.
    func checkCoverage(_ spans: [TagSpan], _ requests: [ReadRequest]) {
        for request in requests { #expect(request.count <= request.table.maxPerRequest) }
        for span in spans {
            let holders = requests.filter { request in
                request.slots.contains { $0.tag == span.tag && request.start + $0.offset == span.address.address && $0.count == span.count }
            }
            #expect(holders.count == 1)
            if let request = holders.first {
                #expect(request.table == span.address.table)
                #expect(span.address.address >= request.start && span.address.address + span.count <= request.start + request.count)
            }
        }
    }

    @Test func contiguousMapNeedsTheMinimumNumberOfRequests() {
        let spans = (0..<200).map { span($0, 1000 + 2 * $0, 2) }   // 400 registers of float32
        let requests = ReadPlanner.plan(spans, maxGap: 8)
        #expect(requests.count == 4)                               // ceil(400 / 124): 62 floats per request
        checkCoverage(spans, requests)
    }

    @Test func holesUpToMaxGapAreBridgedAndLargerOnesSplit() {
        let spans = [span(0, 0, 2), span(1, 10, 2), span(2, 30, 2)]
        let requests = ReadPlanner.plan(spans, maxGap: 8)
        #expect(requests.map(\.description) == ["FC03 0+12", "FC03 30+2"])
        #expect(ReadPlanner.plan(spans, maxGap: 0).count == 3)
        checkCoverage(spans, requests)
    }

    @Test func sixtyFourBitValueAtTheBorderMovesWhole() {
        let spans = [span(0, 0, 122), span(1, 122, 4)]             // 122 + 4 = 126 > 125
        let requests = ReadPlanner.plan(spans, maxGap: 8)
        #expect(requests.map(\.description) == ["FC03 0+122", "FC03 122+4"])
        checkCoverage(spans, requests)
    }

    @Test func overlappingTagsShareARequest() {
        // E+H: totalizer SUM, OVERFLOW and their sum volume_total over the same four registers.
        let spans = [span(0, 2609, 2), span(1, 2611, 2), span(2, 2609, 4)]
        let requests = ReadPlanner.plan(spans, maxGap: 8)
        #expect(requests.map(\.description) == ["FC03 2609+4"])
        checkCoverage(spans, requests)
    }

    @Test func functionCodesNeverMix() {
        let spans = [span(0, .holding, 0, 2), span(1, .input, 2, 2), span(2, .coil, 0, 1), span(3, .coil, 1999, 1),
                     span(4, .coil, 2000, 1), span(5, .discrete, 5, 1)]
        let requests = ReadPlanner.plan(spans, maxGap: 2000)
        #expect(requests.map(\.description) == ["FC01 0+2000", "FC01 2000+1", "FC02 5+1", "FC03 0+2", "FC04 2+2"])
        checkCoverage(spans, requests)
    }

    @Test func manyRandomTagsAreAllCoveredWithinLimits() {
        var generator = SeededGenerator(seed: 99)
        for round in 0..<50 {
            let spans = (0..<300).map { index in
                let table = RegisterTable.allCases.randomElement(using: &generator) ?? .holding
                let count = table.isBitTable ? 1 : [1, 2, 4, 10].randomElement(using: &generator) ?? 1
                return span(index, table, Int.random(in: 0...5000, using: &generator), count)
            }
            let requests = ReadPlanner.plan(spans, maxGap: round % 20)
            checkCoverage(spans, requests)
        }
    }

    @Test func bisectionIsolatesTheRefusedRegister() {
        let spans = (0..<8).map { span($0, 100 + 2 * $0, 2) }
        let block = ReadPlanner.plan(spans, maxGap: 8)[0]
        var splitter = BlockSplitter(failing: block)
        let refused = 106                                           // tag 3 sits at 106…107
        var tries = 0
        while let request = splitter.next() {
            tries += 1
            let covers = request.start <= refused && refused < request.start + request.count
            splitter.record(covers ? .illegalAddress : .answered)
        }
        #expect(splitter.isFinished)
        #expect(splitter.badTags.map(\.tag) == [3])
        #expect(splitter.badTags.first?.reason == .exception)
        let working = Set(splitter.workingRequests.flatMap { $0.slots.map(\.tag) })
        #expect(working == Set([0, 1, 2, 4, 5, 6, 7]))
        #expect(tries <= 2 * 3 + 1)                                 // about 2·log2(8) requests
        for request in splitter.workingRequests {
            #expect(!(request.start <= refused && refused < request.start + request.count))
        }
    }
}
