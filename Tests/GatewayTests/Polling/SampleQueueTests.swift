import Gateway
import PlantModel
import Testing

@Suite struct SampleQueueTests {
    private func sample(_ tag: Int) -> Sample {
        Sample(tag: TagIndex(tag), value: Double(tag), quality: .good, time: Instant(wallNanos: Int64(tag), monoNanos: Int64(tag)))
    }

    private func drain(_ queue: SampleQueue, max: Int = 64) -> [Int] {
        var buffer = [Sample](repeating: sample(-1), count: max)
        let taken = buffer.withUnsafeMutableBufferPointer { queue.drain(into: $0) }
        return buffer[0..<taken].map { Int($0.tag) }
    }

    @Test func keepsOrderAcrossTheEndOfTheRing() {
        let queue = SampleQueue(capacity: 4)
        for tag in 0..<3 { queue.push(sample(tag)) }
        #expect(drain(queue, max: 2) == [0, 1])
        for tag in 3..<6 { queue.push(sample(tag)) }
        #expect(drain(queue) == [2, 3, 4, 5])
        #expect(queue.depth == 0)
    }

    @Test func aFullQueueDropsTheNewSampleAndCountsIt() {
        let queue = SampleQueue(capacity: 3)
        let accepted = (0..<5).map { queue.push(sample($0)) }
        #expect(accepted == [true, true, true, false, false])
        #expect(queue.dropped == 2)
        #expect(drain(queue) == [0, 1, 2])
        #expect(queue.push(sample(9)))
        #expect(drain(queue) == [9])
    }

    /// Random pushes and partial drains against a plain array: nothing lost, duplicated or reordered, and
    /// drops exactly when the model is full (this also covers the rewind to slot 0 on empty).
    @Test func matchesAFIFOModel() {
        var generator = SplitMix64(seed: 0x5A17)
        let capacity = 7
        let queue = SampleQueue(capacity: capacity)
        var model: [Int] = []
        var dropped = 0
        var next = 0
        for _ in 0..<5_000 {
            if generator.next() % 3 != 0 {
                let accepted = queue.push(sample(next))
                #expect(accepted == (model.count < capacity))
                if model.count < capacity { model.append(next) } else { dropped += 1 }
                next += 1
            } else {
                let limit = Int(generator.next() % 5) + 1
                let expected = Array(model.prefix(limit))
                #expect(drain(queue, max: limit) == expected)
                model.removeFirst(expected.count)
            }
            #expect(queue.depth == model.count)
        }
        #expect(queue.dropped == dropped)
    }
}
