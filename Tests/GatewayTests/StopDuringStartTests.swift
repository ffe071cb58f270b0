import Foundation
import Modbus
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
        let notify = try NotifyRecorder()
        defer { notify.stop() }
        let daemon = try setup.startDaemon(environment: ["NOTIFY_SOCKET": notify.listener.notifySocket])
        notify.onReady { daemon.child.signal(SIGTERM) }
        #expect(await eventually(timeout: .seconds(15)) { notify.count("READY=1") == 1 }, "log: \(daemon.log)")
        #expect(await daemon.child.waitForExit(timeout: .seconds(10)), "no stop within 10 s of SIGTERM; log: \(daemon.log)")
        #expect(daemon.child.exitCode == 0, "log: \(daemon.log)")
        #expect(daemon.log.contains("SIGTERM: stopping"), "log: \(daemon.log)")
        #expect(daemon.log.split(separator: "\n").last?.hasSuffix(": stopped") == true, "log: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(2)) { notify.count("STOPPING=1") == 1 })
    }
}
