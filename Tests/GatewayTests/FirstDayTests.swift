import Foundation
import Gateway
import Modbus
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// What a commissioning engineer trips over on the first day: a second daemon started by hand, a
/// control socket held by idle clients, a spool figure that mixes disk and memory.
@Suite("plantgated on the first day on site", .serialized)
struct FirstDayTests {
    @Test("a second plantgated on the same state directory exits 75, names the first, and leaves it running")
    func secondInstanceRefused() async throws {
        let setup = try await GatewaySetup.start(site: "twice")
        defer { setup.meter.stop() }
        let power = "plantgate/twice/devices/pm/power"
        let recorder = try await setup.harness.recorder(power)
        let first = try setup.startDaemon()
        let socket = setup.controlSocket
        #expect(await eventually(timeout: .seconds(15)) { await statusReport(socket) != nil }, "log: \(first.log)")
        #expect(await eventually(timeout: .seconds(15)) { !recorder.messages(on: power).isEmpty }, "log: \(first.log)")
        let stateDirectory = setup.harness.stateDirectory

        let second = try setup.startDaemon()
        #expect(await second.child.waitForExit(timeout: .seconds(15)), "log: \(second.log)")
        #expect(second.child.exitCode == 75)
        #expect(second.log.contains("plantgated is already running (pid \(first.child.pid)) on state directory \(stateDirectory)"), "log: \(second.log)")

        // The first keeps its socket, its broker session and its publishing.
        #expect(first.child.isRunning)
        #expect((await statusReport(socket))?["pid"] as? Int == Int(first.child.pid), "the control socket is still the first daemon's")
        let before = recorder.messages(on: power).count
        #expect(await eventually(timeout: .seconds(5)) { recorder.messages(on: power).count > before + 3 })
        #expect(!first.log.contains("lost the MQTT broker") && !first.log.contains("taken over"), "log: \(first.log)")
        #expect(setup.broker.log.components(separatedBy: "as plantgate-twice").count - 1 == 1, "one connect with the gateway's client id")

        // A daemon killed outright leaves its lock file behind; the kernel released the lock, so the next one starts.
        await first.kill()
        let third = try setup.startDaemon()
        #expect(await eventually(timeout: .seconds(15)) { (await statusReport(socket))?["pid"] as? Int == Int(third.child.pid) }, "log: \(third.log)")
        #expect(await third.terminate() == 0)
    }

    @Test("20 idle connections on the control socket: plantgate status still answers within 1 s")
    func idleClientsDoNotHoldUpStatus() async throws {
        let setup = try await GatewaySetup.start(site: "idle")
        defer { setup.meter.stop() }
        let daemon = try setup.startDaemon()
        let socket = setup.controlSocket
        #expect(await eventually(timeout: .seconds(15)) { await statusReport(socket) != nil }, "log: \(daemon.log)")

        let idle = try (0..<20).map { _ in try UnixConnection(path: socket) }
        let started = ContinuousClock.now
        let result = try await ProcessRunner.run(BuiltExecutable.path("plantgate"), ["status", "--socket", socket, "--json"])
        let took = ContinuousClock.now - started
        #expect(result.exitCode == 0, "stderr: \(result.standardError)")
        #expect(result.standardOutput.contains("\"pid\":\(daemon.child.pid)"))
        #expect(took < .seconds(1), "plantgate status took \(took) with 20 idle connections open")
        print("measured: plantgate status answered in \(took) with 20 idle connections open")

        // Past the bound a client is told why instead of waiting.
        let more = try (0..<(ControlServer.maximumClients - 20)).map { _ in try UnixConnection(path: socket) }
        let refused = try await ProcessRunner.run(BuiltExecutable.path("plantgate"), ["status", "--socket", socket])
        #expect(refused.exitCode != 0)
        #expect((refused.standardOutput + refused.standardError).contains("control connections; close idle ones"), "\(refused)")
        // An idle client is closed after its 2 s, not held forever.
        #expect(idle[0].closedByPeer(within: .seconds(5)), "an idle connection stays open past its deadline")
        for connection in idle + more { connection.close() }
        #expect(await eventually(timeout: .seconds(5)) { await statusReport(socket) != nil })
        #expect(await daemon.terminate() == 0)
    }

    @Test("status tells messages on disk from messages in memory; a SIGKILL loses only the second kind")
    func spoolFigureSplitsDiskAndMemory() async throws {
        let setup = try await GatewaySetup.start(site: "split")
        defer { setup.meter.stop() }
        await setup.broker.stop()  // raw tags wait in memory, metrics and period records go to disk
        let daemon = try setup.startDaemon()
        let socket = setup.controlSocket
        var broker: [String: Any] = [:]
        let held = await eventually(timeout: .seconds(30)) {
            guard let report = await statusReport(socket), let figures = report["broker"] as? [String: Any],
                  (figures["memory_depth"] as? Int ?? 0) >= 50, (figures["spool_depth"] as? Int ?? 0) > 0 else { return false }
            broker = figures
            return true
        }
        #expect(held, "broker: \(broker); log: \(daemon.log)")
        let onDisk = try #require(broker["spool_depth"] as? Int)
        let inMemory = try #require(broker["memory_depth"] as? Int)
        await daemon.kill()

        let spoolPath = setup.directory.appendingPathComponent("state/spool.sqlite").path
        let rows = try await ProcessRunner.runChecked("/usr/bin/sqlite3", [spoolPath, "SELECT count(*) FROM outbox"])
        let survived = try #require(Int(rows.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(survived >= onDisk, "status said \(onDisk) on disk, the spool holds \(survived) after SIGKILL")
        #expect(survived < onDisk + inMemory, "the \(inMemory) in memory were not on disk")

        let page = try await ProcessRunner.run(BuiltExecutable.path("plantgate"), ["status", "--socket", socket])
        #expect(page.exitCode != 0, "the daemon is gone")
    }
}

/// `plantgate status --json` of the daemon on `socket`, nil while it does not answer.
func statusReport(_ socket: String) async -> [String: Any]? {
    guard let result = try? await ProcessRunner.run(BuiltExecutable.path("plantgate"), ["status", "--socket", socket, "--json"]),
          let object = try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] else { return nil }
    return object
}

/// A client connected to a Unix stream socket that says nothing (an idle `status` or a stuck script).
final class UnixConnection: Sendable {
    let fd: Int32

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestSupportError("connect \(path): \(String(cString: strerror(code)))")
        }
    }

    func close() { Glibc.close(fd) }

    /// Whether the other end closes the connection (a read returns end of file) within `timeout`.
    func closedByPeer(within timeout: Duration) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout.components.seconds * 1_000)) > 0 else { return false }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) == 0
    }
}
