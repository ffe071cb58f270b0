import Foundation
import Gateway
import POSIX
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A unix datagram socket the test binds itself, standing in for systemd's notification socket.
final class SystemdNotifyListener {
    let notifySocket: String
    private let fd: Int32
    private let path: String?

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case abstract, path
        var testDescription: String { self.rawValue }
    }

    init(_ kind: Kind) throws {
        let unique = "plantgate-notify-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard self.fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var sunPath: [UInt8]
        switch kind {
        case .abstract:
            self.notifySocket = "@" + unique
            self.path = nil
            sunPath = [0] + Array(unique.utf8)
        case .path:
            self.path = NSTemporaryDirectory() + unique + ".sock"
            self.notifySocket = self.path ?? ""
            sunPath = Array(self.notifySocket.utf8) + [0]
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in sunPath.enumerated() { buffer[index] = byte }
        }
        let length = socklen_t((MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2) + sunPath.count)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(self.fd, $0, length) }
        }
        guard rc == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    deinit {
        close(self.fd)
        if let path { unlink(path) }
    }

    /// The next datagram, or `nil` if none arrives before `deadline`.
    func receive(within deadline: Duration = .seconds(5)) -> String? {
        var descriptor = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
        let millis = Int32(deadline.components.seconds * 1000 + deadline.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&descriptor, 1, millis) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(self.fd, &buffer, buffer.count, 0)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Discards everything already queued.
    func drain() {
        while self.receive(within: .zero) != nil {}
    }
}

/// A clock the test moves by hand.
private final class HandClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    func now() -> ContinuousClock.Instant { self.instant.withLock { $0 } }
    func advance(by duration: Duration) { self.instant.withLock { $0 += duration } }
}

/// A health flag the test flips.
private final class HealthFlag: Sendable {
    private let value = Mutex(true)
    func get() -> Bool { self.value.withLock { $0 } }
    func set(_ healthy: Bool) { self.value.withLock { $0 = healthy } }
}

@Suite struct SystemdNotifierTests {
    @Test(arguments: SystemdNotifyListener.Kind.allCases)
    func sendsTheExactDatagramsSystemdExpects(kind: SystemdNotifyListener.Kind) throws {
        let listener = try SystemdNotifyListener(kind)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket], monotonicMicroseconds: { 123_456_789 })
        #expect(notifier.isEnabled)

        try notifier.ready(status: "polling 3 buses")
        #expect(listener.receive() == "READY=1\nSTATUS=polling 3 buses")
        try notifier.ready()
        #expect(listener.receive() == "READY=1")
        try notifier.status("2 of 3 meters online")
        #expect(listener.receive() == "STATUS=2 of 3 meters online")
        try notifier.watchdog()
        #expect(listener.receive() == "WATCHDOG=1")
        try notifier.reloading()
        #expect(listener.receive() == "RELOADING=1\nMONOTONIC_USEC=123456789")
        try notifier.extendTimeout(usec: 10_000_000)
        #expect(listener.receive() == "EXTEND_TIMEOUT_USEC=10000000")
        try notifier.stopping()
        #expect(listener.receive() == "STOPPING=1")
    }

    @Test func reloadingCarriesTheRealMonotonicClock() throws {
        let listener = try SystemdNotifyListener(.abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        let before = MonotonicClock.microseconds()
        try notifier.reloading()
        let after = MonotonicClock.microseconds()
        let datagram = try #require(listener.receive())
        let fields = datagram.split(separator: "\n")
        #expect(fields.first == "RELOADING=1")
        let stamp = try #require(fields.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        #expect(fields.last?.hasPrefix("MONOTONIC_USEC=") == true)
        #expect(before <= stamp && stamp <= after)
    }

    @Test func aStatusWithANewlineCannotInjectAnotherAssignment() throws {
        let listener = try SystemdNotifyListener(.abstract)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
        try notifier.status("meter down\nREADY=1")
        #expect(listener.receive() == "STATUS=meter down READY=1")
    }

    @Test func withoutNotifySocketEveryCallIsASilentNoOp() throws {
        for environment in [[:], ["NOTIFY_SOCKET": ""]] as [[String: String]] {
            let notifier = SystemdNotifier(environment: environment)
            #expect(!notifier.isEnabled)
            try notifier.ready(status: "x")
            try notifier.watchdog()
            try notifier.reloading()
            try notifier.stopping()
        }
    }

    @Test(arguments: [
        ("relative/notify.sock", SystemdNotifyError.Code.unsupportedAddress),
        ("vsock:2:1234", .unsupportedAddress),
        ("/" + String(repeating: "a", count: 107), .addressTooLong),
        ("@" + String(repeating: "a", count: 108), .addressTooLong),
    ])
    func rejectsAddressesItCannotReach(address: String, code: SystemdNotifyError.Code) {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": address])
        #expect(throws: SystemdNotifyError(code: code, socketAddress: address)) { try notifier.ready() }
    }

    @Test func aMissingListenerIsReportedWithErrnoAndTheAddress() throws {
        let address = NSTemporaryDirectory() + "plantgate-nobody-\(getpid()).sock"
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": address])
        let error = try #require(throws: SystemdNotifyError.self) { try notifier.watchdog() }
        #expect(error.code == .sendFailed)
        #expect(error.errno == ENOENT)
        #expect(error.description.contains(address))
    }

    @Test func watchdogIntervalComesFromWatchdogUsecAndHonoursWatchdogPid() {
        let me = getpid()
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000"]).watchdogInterval() == .seconds(30))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(me)"]).watchdogInterval() == .seconds(30))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(me + 1)"]).watchdogInterval() == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"], processID: 1).watchdogInterval() == .seconds(30))
        #expect(SystemdNotifier(environment: [:]).watchdogInterval() == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "0"]).watchdogInterval() == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "thirty"]).watchdogInterval() == nil)
    }
}

extension SystemdNotifierTests {
    @Suite struct WatchdogPacerTests {
        @Test func pingsOnlyWhileHealthyAndResumesAfterRecovery() throws {
            let listener = try SystemdNotifyListener(.abstract)
            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket, "WATCHDOG_USEC": "30000000"])
            let health = HealthFlag()
            let pacer = WatchdogPacer(notifier: notifier) { health.get() }
            #expect(pacer.pingInterval == .seconds(15))

            #expect(try pacer.tick() == .pinged)
            #expect(listener.receive() == "WATCHDOG=1")

            health.set(false)
            #expect(try pacer.tick() == .withheld)
            #expect(try pacer.tick() == .withheld)
            // Datagrams arrive in order, so if the withheld ticks had sent anything it would come before this.
            try notifier.status("marker")
            #expect(listener.receive() == "STATUS=marker")

            health.set(true)
            #expect(try pacer.tick() == .pinged)
            #expect(listener.receive() == "WATCHDOG=1")
            #expect(pacer.counts == WatchdogPacer.Counts(pinged: 2, withheld: 2))
        }

        @Test func doesNothingWhenTheUnitHasNoWatchdog() throws {
            let listener = try SystemdNotifyListener(.abstract)
            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket])
            let pacer = WatchdogPacer(notifier: notifier) { true }
            #expect(pacer.pingInterval == nil)
            #expect(try pacer.tick() == .watchdogOff)
            try notifier.status("marker")
            #expect(listener.receive() == "STATUS=marker")
        }

        @Test func aStalledPollLoopStopsThePings() throws {
            let listener = try SystemdNotifyListener(.path)
            let clock = HandClock()
            let heartbeat = LoopHeartbeat(loops: ["poll", "engine"], stallAfter: .seconds(20), now: { clock.now() })
            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket, "WATCHDOG_USEC": "30000000"])
            let pacer = WatchdogPacer(notifier: notifier) { heartbeat.isHealthy() }

            clock.advance(by: .seconds(15))
            heartbeat.beat("poll")
            heartbeat.beat("engine")
            clock.advance(by: .seconds(15))
            #expect(try pacer.tick() == .pinged)
            #expect(listener.receive() == "WATCHDOG=1")

            // The engine keeps going but the poll loop is wedged on a dead RS-485 bus.
            clock.advance(by: .seconds(10))
            heartbeat.beat("engine")
            #expect(heartbeat.stalledLoops() == ["poll"])
            #expect(try pacer.tick() == .withheld)
            try notifier.status("marker")
            #expect(listener.receive() == "STATUS=marker")
        }

        @Test func theRunLoopPingsOnScheduleAndStopsWhenUnhealthy() async throws {
            let listener = try SystemdNotifyListener(.abstract)
            // 40 ms watchdog: the loop ticks every 20 ms.
            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.notifySocket, "WATCHDOG_USEC": "40000"])
            let health = HealthFlag()
            let pacer = WatchdogPacer(notifier: notifier) { health.get() }
            let loop = Task { await pacer.run() }
            defer { loop.cancel() }

            #expect(listener.receive() == "WATCHDOG=1")
            #expect(listener.receive() == "WATCHDOG=1")

            health.set(false)
            let withheldBefore = pacer.counts.withheld
            try await waitUntil { pacer.counts.withheld > withheldBefore }
            // Every ping sent before the first withheld tick is queued by now; throw those away.
            listener.drain()
            let withheldAfterDrain = pacer.counts.withheld
            try await waitUntil { pacer.counts.withheld >= withheldAfterDrain + 3 }
            try notifier.status("marker")
            #expect(listener.receive() == "STATUS=marker")

            health.set(true)
            #expect(listener.receive() == "WATCHDOG=1")
        }

        @Test func heartbeatGivesNewLoopsAGraceFromCreation() {
            let clock = HandClock()
            let heartbeat = LoopHeartbeat(loops: ["poll"], stallAfter: .seconds(20), now: { clock.now() })
            clock.advance(by: .seconds(20))
            #expect(heartbeat.isHealthy())
            clock.advance(by: .seconds(1))
            #expect(!heartbeat.isHealthy())
            heartbeat.beat("poll")
            #expect(heartbeat.isHealthy())
        }
    }
}

/// Polls `condition` until it holds, failing after `deadline`.
private func waitUntil(deadline: Duration = .seconds(5), _ condition: () -> Bool) async throws {
    let end = ContinuousClock.now + deadline
    while !condition() {
        guard ContinuousClock.now < end else {
            Issue.record("condition not met within \(deadline)")
            return
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
