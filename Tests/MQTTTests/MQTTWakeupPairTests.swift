import Foundation
@_spi(Testing) import MQTT
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite("No wake-up socket pair: one write per publish")
struct MQTTWakeupPairTests {
    @Test("a publish costs the publishing thread one write (not two), the messages arrive, and socketpair still works elsewhere")
    func onePublishOneWrite() async throws {
        let broker = try await MosquittoBroker.start()
        let (subscriber, received) = try await connectedClient(options(for: broker, "historian"))
        try await subscribe(subscriber, received, "plantgate/pair/#")
        let (publisher, _) = try await connectedClient(options(for: broker, "gateway"))
        #expect(!publisher.hasWakeupPair)

        let topic = "plantgate/pair/devices/m1/t0"
        let count = 1_000
        // Unthreaded libmosquitto writes on the publishing thread; this loop never suspends, so the
        // thread's write count is the publishes' alone.
        let written = try threadWrites {
            for index in 0..<count { try publisher.publish(topic: topic, text: #"{"v":\#(index)}"#) }
        }
        // One write per packet; with the pair it was two (the pair's byte, then the packet).
        #expect(written >= count && written < count + count / 10, "\(written) writes for \(count) publishes")
        #expect(await eventually { received.messages(on: topic).count == count })

        var pair: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        for fd in pair where fd >= 0 { close(fd) }
    }

    /// The write system calls the calling thread made while `body` ran (`syscw` of /proc/thread-self/io).
    private func threadWrites(_ body: () throws -> Void) throws -> Int {
        func count() throws -> Int {
            let text = try String(contentsOfFile: "/proc/thread-self/io", encoding: .utf8)
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("syscw:") })
            return try #require(Int(line.dropFirst("syscw:".count).trimmingCharacters(in: .whitespaces)))
        }
        let before = try count()
        try body()
        return try count() - before
    }
}
