import Foundation
import Modbus
import Synchronization
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// systemd may stop a service the moment it reports READY=1 (a `systemctl restart` right after a start): the
/// stop must be honoured at once, not ignored until TimeoutStopSec ends it with SIGKILL.
@Suite("a stop sent while plantgated starts is honoured", .serialized)
struct StopDuringStartTests {
    @Test("SIGTERM the instant READY=1 arrives: plantgated stops cleanly (exit 0, STOPPING=1, stopped)", arguments: 1...3)
    func sigtermOnReady(round: Int) async throws {
        let setup = try await GatewaySetup.start(site: "ready\(round)")
        defer { setup.meter.stop() }
        let trigger = try ReadyTrigger()
        defer { trigger.stop() }
        let daemon = try setup.startDaemon(environment: ["NOTIFY_SOCKET": trigger.listener.notifySocket])
        trigger.onReady { daemon.child.signal(SIGTERM) }
        #expect(await eventually(timeout: .seconds(15)) { trigger.count("READY=1") == 1 }, "log: \(daemon.log)")
        #expect(await daemon.child.waitForExit(timeout: .seconds(10)), "no stop within 10 s of SIGTERM; log: \(daemon.log)")
        #expect(daemon.child.exitCode == 0, "log: \(daemon.log)")
        #expect(daemon.log.contains("SIGTERM: stopping"), "log: \(daemon.log)")
        #expect(daemon.log.split(separator: "\n").last?.hasSuffix(": stopped") == true, "log: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(2)) { trigger.count("STOPPING=1") == 1 })
    }
}

/// Receives the daemon's sd_notify datagrams on a thread of its own and runs an action on that thread as
/// soon as READY=1 arrives, with no scheduling in between.
private final class ReadyTrigger: @unchecked Sendable {
    let listener: SystemdNotifyListener
    private let state = Mutex<(received: [String], action: (@Sendable () -> Void)?, running: Bool)>(([], nil, true))

    init() throws {
        listener = try SystemdNotifyListener(.abstract)
        Thread { [self] in
            while state.withLock({ $0.running }) {
                guard let datagram = listener.receive(within: .milliseconds(100)) else { continue }
                let action = state.withLock { state -> (@Sendable () -> Void)? in
                    state.received.append(datagram)
                    return datagram.split(separator: "\n").contains("READY=1") ? state.action : nil
                }
                action?()
            }
        }.start()
    }

    func stop() { state.withLock { $0.running = false } }

    /// Runs `action` on READY=1, or now if it came already.
    func onReady(_ action: @escaping @Sendable () -> Void) {
        let ready = state.withLock { state in
            state.action = action
            return state.received.contains { $0.split(separator: "\n").contains("READY=1") }
        }
        if ready { action() }
    }
    func count(_ line: String) -> Int {
        state.withLock { $0.received.filter { $0.split(separator: "\n").contains(Substring(line)) }.count }
    }
}
