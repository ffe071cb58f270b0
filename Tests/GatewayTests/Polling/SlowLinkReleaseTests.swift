import Foundation
import Gateway
import Modbus
import PlantModel
import Synchronization
import Testing
import TestSupport

/// A bus thread holds a round's samples and wakes the engine once (`HeldSamples`), but never holds them
/// longer than 10 ms: on a slow link each request's values reach the engine as soon as they are read, not
/// at the end of the device's cycle. Over a real Modbus TCP server, one meter, three requests a cycle,
/// and a consumer that drains only when the bus thread signals.
@Suite("Held samples on fast and slow links", .serialized)
struct SlowLinkReleaseTests {
    static let addresses: [UInt16] = [100, 400, 700]

    /// Answers each of the three blocks after `delay` seconds; notes when each reply was due out.
    final class DelayedMeter: ModbusRequestHandler, Sendable {
        let delay: Double
        private let replies = Mutex<[(address: UInt16, due: Int64)]>([])

        init(delay: Double) { self.delay = delay }

        func reply(to request: ModbusRequest) -> ModbusReply {
            replies.withLock { $0.append((request.address, monotonicNow() + Int64(delay * 1e9))) }
            return delay > 0 ? .delayed(delay, .registers([42])) : .registers([42])
        }

        var repliesDue: [(address: UInt16, due: Int64)] { replies.withLock { $0 } }
    }

    /// What the consumer saw: when it drained (monotonic ns) and which tags each drain held.
    struct Drain {
        var at: Int64
        var tags: [TagIndex]
    }

    static func poll(delay: Double, cycles: Int) async throws -> (drains: [Drain], tags: [TagIndex], replies: [(address: UInt16, due: Int64)]) {
        let meter = DelayedMeter(delay: delay)
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let yaml = PollingConfigs.oneMeter(port: server.port, interval: "2s", tags: addresses.map {
            #"r\#($0): {register: "holding:\#($0)", type: uint16}"#
        }, bus: "response_timeout: 1s")
        guard case .success(let loaded) = ConfigLoader.load(yaml: yaml, file: "slow-link.yaml") else {
            throw TestConfigError(description: "the test's config does not load")
        }
        let plan = loaded.plan
        let tags = try addresses.map { try #require(plan.tag(path: "m/r\($0)")?.index) }
        let queue = SampleQueue(capacity: 1024)
        let poller = BusPoller(plan: plan.buses[0], tags: plan.tags, queue: queue, logger: CapturedLog().logger)
        let drains = Mutex<[Drain]>([])
        let consuming = Atomic<Bool>(true)
        let consumerDone = DispatchSemaphore(value: 0)
        Thread {
            var buffer = [Sample](repeating: Sample(tag: -1, value: .nan, quality: .bad, time: Instant(wallNanos: 0, monoNanos: 0)), count: 64)
            while consuming.load(ordering: .relaxed) {
                queue.wait(timeoutNanos: 10_000_000_000)  // within a test's time, only a signal wakes it
                let taken = buffer.withUnsafeMutableBufferPointer { queue.drain(into: $0) }
                if taken > 0 { drains.withLock { $0.append(Drain(at: monotonicNow(), tags: buffer[0..<taken].map(\.tag))) } }
            }
            consumerDone.signal()
        }.start()
        try poller.start()
        let samplesWanted = cycles * addresses.count
        #expect(await eventually(timeout: .seconds(Double(cycles) * 2 + 4)) {
            drains.withLock { $0.reduce(0) { $0 + $1.tags.count } } >= samplesWanted
        })
        poller.stop()
        consuming.store(false, ordering: .relaxed)
        queue.signal()
        consumerDone.wait()
        return (drains.withLock { $0 }, tags, meter.repliesDue)
    }

    @Test func onASlowLinkEachRequestsValuesGoToTheEngineWhenRead() async throws {
        // 200 ms a reply: a cycle takes 600 ms, far past the 10 ms hold.
        let (drains, tags, replies) = try await Self.poll(delay: 0.2, cycles: 1)
        for (index, tag) in tags.enumerated() {
            let drained = try #require(drains.first { $0.tags.contains(tag) }, "r\(Self.addresses[index]) never reached the consumer")
            let reply = try #require(replies.first { $0.address == Self.addresses[index] })
            let late = Double(drained.at - reply.due) / 1e6
            #expect(late < 120, "r\(Self.addresses[index]) reached the consumer \(late) ms after its reply: held for the cycle")
        }
    }

    @Test func onAFastLinkARoundWakesTheEngineOnce() async throws {
        let (drains, _, _) = try await Self.poll(delay: 0, cycles: 2)
        #expect(drains.count == 2, "\(drains.count) wake-ups for 2 rounds: \(drains.map(\.tags.count)) samples each")
        #expect(drains.allSatisfy { $0.tags.count == Self.addresses.count })
    }
}
