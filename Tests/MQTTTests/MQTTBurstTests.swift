import Foundation
import MQTT
import Synchronization
import Testing
import TestSupport

@Suite("Bursts larger than the socket buffer")
struct MQTTBurstTests {
    @Test("64 MB of QoS 0 published in a tight loop arrive whole and in order; each write is reported by onPublish")
    func burstArrivesWhole() async throws {
        // The broker keeps every message for a subscriber that lags: by default it may drop QoS 0 messages
        // once 1,000 wait for one client, which a loaded machine reaches with this burst. Those drops are
        // the broker's choice; this test is about the client's writes.
        let broker = try await MosquittoBroker.start(.init(extraSettings: ["max_queued_messages 0"]))
        let (subscriber, subscriberLog) = try await connectedClient(options(for: broker, "historian"))
        let received = Mutex<[Int]>([])
        subscriber.onMessage { message in
            let index = message.payload.prefix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
            received.withLock { $0.append(index) }
        }
        try await subscribe(subscriber, subscriberLog, "burst/#", qos: .atMostOnce)

        let (publisher, _) = try await connectedClient(options(for: broker, "gateway"))
        let written = Atomic<Int>(0)
        publisher.onPublish { _ in written.add(1, ordering: .relaxed) }
        let count = 2_000
        // 32 KB each: far more than a loopback socket buffer holds, so most writes find it full and
        // the client's network thread must send the rest.
        var payload = [UInt8](repeating: 0x5A, count: 32 * 1024)
        for index in 0..<count {
            withUnsafeBytes(of: UInt64(index).littleEndian) { payload.replaceSubrange(0..<8, with: $0) }
            try publisher.publish(topic: "burst/meter-1/raw", payload: payload, qos: .atMostOnce)
        }

        #expect(await eventually(timeout: .seconds(30)) { received.withLock { $0.count } >= count },
                "received \(received.withLock { $0.count }) of \(count)")
        #expect(received.withLock { $0 } == Array(0..<count), "messages lost, repeated or reordered")
        #expect(await eventually { written.load(ordering: .relaxed) == count }, "onPublish for \(written.load(ordering: .relaxed)) of \(count)")
    }
}
