import Foundation
import Modbus
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Collects every sd_notify datagram the daemon sends, on a thread of its own.
final class NotifyRecorder: @unchecked Sendable {
    let listener: SystemdNotifyListener
    private let lock = NSLock()
    private var received: [String] = []
    private var readyAction: (@Sendable () -> Void)?
    private var running = true

    init() throws {
        listener = try SystemdNotifyListener(.abstract)
        Thread { [self] in
            while lock.withLock({ running }) {
                guard let datagram = listener.receive(within: .milliseconds(100)) else { continue }
                let action = lock.withLock {
                    received.append(datagram)
                    return Self.says(datagram, "READY=1") ? readyAction : nil
                }
                action?()
            }
        }.start()
    }

    var datagrams: [String] { lock.withLock { received } }
    func count(_ line: String) -> Int { datagrams.filter { Self.says($0, line) }.count }
    func stop() { lock.withLock { running = false } }

    /// Runs `action` on this thread as soon as READY=1 arrives (or now, if it came already): no scheduling
    /// between the daemon's report and the action.
    func onReady(_ action: @escaping @Sendable () -> Void) {
        let ready = lock.withLock {
            readyAction = action
            return received.contains { Self.says($0, "READY=1") }
        }
        if ready { action() }
    }

    private static func says(_ datagram: String, _ line: String) -> Bool { datagram.split(separator: "\n").contains(Substring(line)) }
}

@Suite("plantgated under systemd's eyes: notify, watchdog, reload", .serialized)
struct DaemonLifecycleTests {
    @Test func watchdogPingsStopWhileTheBusThreadIsFrozenAndResumeAfter() async throws {
        let setup = try await GatewaySetup.start(site: "wd")
        defer { setup.meter.stop() }
        let notify = try NotifyRecorder()
        defer { notify.stop() }
        let daemon = try setup.startDaemon(environment: [
            "NOTIFY_SOCKET": notify.listener.notifySocket, "WATCHDOG_USEC": "1000000", "PLANTGATE_DEBUG_HOOKS": "1",
        ])
        #expect(await eventually(timeout: .seconds(15)) { notify.count("READY=1") == 1 }, "log: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(5)) { notify.count("WATCHDOG=1") >= 3 })

        daemon.child.signal(SIGUSR1)   // freeze every bus thread (debug hook)
        #expect(await eventually(timeout: .seconds(20)) { daemon.log.contains("watchdog pings withheld") }, "log: \(daemon.log)")
        let withheldAt = notify.count("WATCHDOG=1")
        try await Task.sleep(for: .seconds(2))
        #expect(notify.count("WATCHDOG=1") == withheldAt, "no ping may go out while the loop is stuck")

        daemon.child.signal(SIGUSR1)   // thaw
        #expect(await eventually(timeout: .seconds(10)) { notify.count("WATCHDOG=1") > withheldAt + 1 })
        #expect(await daemon.terminate() == 0)
        #expect(notify.count("STOPPING=1") == 1)
    }

    @Test("once start-up is done the daemon hands the pages only start-up used back to the kernel")
    func startupPagesAreReleased() async throws {
        let setup = try await GatewaySetup.start(site: "pages")
        defer { setup.meter.stop() }
        let notify = try NotifyRecorder()
        defer { notify.stop() }
        let daemon = try setup.startDaemon(environment: [
            "NOTIFY_SOCKET": notify.listener.notifySocket,
        ], privateCopy: true)
        #expect(await eventually(timeout: .seconds(15)) { notify.count("READY=1") == 1 }, "log: \(daemon.log)")
        // The daemon says when start-up is done, just before it releases: the last reading before that line is
        // the footprint with start-up's pages; once the file pages drop, the release has happened.
        var before = Self.residentKilobytes(daemon.child.pid)
        let announced = await eventually(timeout: .seconds(30), pollInterval: .milliseconds(100)) {
            if daemon.log.contains(Self.releaseLine) { return true }
            before = Self.residentKilobytes(daemon.child.pid)
            return false
        }
        try #require(announced, "no \"\(Self.releaseLine)\" in the log: \(daemon.log)")
        var after = Self.residentKilobytes(daemon.child.pid)
        _ = await eventually(timeout: .seconds(10), pollInterval: .milliseconds(100)) {
            after = Self.residentKilobytes(daemon.child.pid)
            return after.file < before.file * 9 / 10
        }
        // What an operator sees in `systemctl status` (Memory) and top (RES): file pages of the code only
        // start-up ran, dropped; the daemon keeps polling (it faults back what the loop uses). The kernel
        // leaves pages that another process maps too, hence a private copy of the binary.
        #expect(after.file < before.file * 9 / 10, "file-backed resident: \(before.file) kB before the release, \(after.file) kB after")
        #expect(after.anonymous <= before.anonymous + 1_024, "anonymous: \(before.anonymous) kB, then \(after.anonymous) kB")
        #expect(daemon.child.isRunning)
        #expect(await daemon.terminate() == 0)
    }

    @Test("after the config and after the start of the plant, before it runs, the daemon hands back the file pages that phase faulted in")
    func startupPhasesReleaseTheirPages() async throws {
        let setup = try await GatewaySetup.start(site: "phases", logLevel: "debug")
        defer { setup.meter.stop() }
        let daemon = try setup.startDaemon(privateCopy: true)
        #expect(await eventually(timeout: .seconds(15)) { daemon.log.contains(" running") }, "log: \(daemon.log)")
        let lines = daemon.log.split(separator: "\n").map(String.init)
        let running = try #require(lines.firstIndex { $0.contains(" running") })
        for phase in ["configuration", "start of the plant"] {
            // "<phase> done: file pages 14208 kB → 5316 kB", logged before the daemon says it runs.
            let index = try #require(lines.firstIndex { $0.contains("\(phase) done: file pages") }, "no release after \(phase): \(daemon.log)")
            #expect(index < running)
            let numbers = lines[index].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            let (before, after) = (numbers[numbers.count - 2], numbers[numbers.count - 1])
            #expect(after < before * 9 / 10, "\(lines[index])")
        }
        #expect(await daemon.terminate() == 0)
    }

    static let releaseLine = "start-up done: handing the memory only start-up used back to the kernel"

    static func residentKilobytes(_ pid: pid_t) -> (file: Int, anonymous: Int) {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Int {
            status.split(separator: "\n").first { $0.hasPrefix(name) }
                .flatMap { Int($0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") } ?? 0
        }
        return (field("RssFile:"), field("RssAnon:"))
    }

    @Test("SIGINT stops plantgated as SIGTERM does, in order: STOPPING=1 first, offline published, the stop in the ledger, the socket file removed")
    func sigintStopsInOrder() async throws {
        let setup = try await GatewaySetup.start(site: "int")
        defer { setup.meter.stop() }
        let status = try await setup.harness.recorder("plantgate/int/status")
        let notify = try NotifyRecorder()
        defer { notify.stop() }
        let daemon = try setup.startDaemon(environment: ["NOTIFY_SOCKET": notify.listener.notifySocket])
        #expect(await eventually(timeout: .seconds(15)) { notify.count("READY=1") == 1 }, "log: \(daemon.log)")
        #expect(await eventually(timeout: .seconds(10)) { status.objects(on: "plantgate/int/status").last?["state"] as? String == "online" })
        #expect(FileManager.default.fileExists(atPath: setup.controlSocket))

        daemon.child.signal(SIGINT)
        #expect(await daemon.child.waitForExit(timeout: .seconds(15)), "log: \(daemon.log)")
        #expect(daemon.child.exitCode == 0, "log: \(daemon.log)")
        #expect(notify.count("STOPPING=1") == 1)
        let lines = daemon.log.split(separator: "\n")
        let stopping = try #require(lines.firstIndex { $0.hasSuffix(": stopping") }, "log: \(daemon.log)")
        let stopped = try #require(lines.lastIndex { $0.hasSuffix(": stopped") }, "log: \(daemon.log)")
        #expect(stopping < stopped)
        #expect(await eventually(timeout: .seconds(5)) { status.objects(on: "plantgate/int/status").last?["state"] as? String == "offline" })
        #expect(!FileManager.default.fileExists(atPath: setup.controlSocket), "the control socket file is removed on a clean stop")
        let export = try await ProcessRunner.run(BuiltExecutable.path("plantgate"), ["ledger", "export", "-c", setup.configPath.path], timeout: .seconds(30))
        let events = export.outputLines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.compactMap { $0["event"] as? String }
        #expect(events.last == "stop", "ledger events: \(events)")
    }

    @Test func reloadValidatesFirstKeepsTheOldConfigOnErrorsAndAppliesAGoodOne() async throws {
        let setup = try await GatewaySetup.start(site: "rl")
        defer { setup.meter.stop() }
        let good = try String(contentsOf: setup.configPath, encoding: .utf8)
        let recorder = try await setup.harness.recorder("plantgate/rl/devices/#")
        let notify = try NotifyRecorder()
        defer { notify.stop() }
        let daemon = try setup.startDaemon(environment: ["NOTIFY_SOCKET": notify.listener.notifySocket])
        #expect(await eventually(timeout: .seconds(15)) { !recorder.messages(on: "plantgate/rl/devices/pm/power").isEmpty }, "log: \(daemon.log)")

        // A broken file: refused, said once, and the old configuration keeps publishing.
        try setup.harness.writeConfig(good.replacingOccurrences(of: "type: float32", with: "type: flaot32"))
        daemon.child.signal(SIGHUP)
        #expect(await eventually(timeout: .seconds(10)) { daemon.log.contains("reload refused") }, "log: \(daemon.log)")
        #expect(daemon.log.contains("did you mean \"float32\""))
        #expect(notify.count("RELOADING=1") == 1)
        let before = recorder.messages(on: "plantgate/rl/devices/pm/power").count
        #expect(await eventually(timeout: .seconds(5)) { recorder.messages(on: "plantgate/rl/devices/pm/power").count > before + 3 })

        // A good new file with one more tag: applied, and the new tag is published.
        let extended = good.replacingOccurrences(
            of: "      energy: {", with: "      power_copy: {register: \"holding:100\", type: float32, order: ABCD, unit: kW}\n      energy: {")
        #expect(extended != good)
        try setup.harness.writeConfig(extended)
        daemon.child.signal(SIGHUP)
        #expect(await eventually(timeout: .seconds(15)) { !recorder.objects(on: "plantgate/rl/devices/pm/power_copy").isEmpty }, "log: \(daemon.log)")
        #expect(recorder.objects(on: "plantgate/rl/devices/pm/power_copy").first?["v"] as? Double == 412.75)
        #expect(daemon.log.contains("configuration reloaded"))
        #expect(notify.count("RELOADING=1") == 2)
        #expect(await daemon.terminate() == 0)
    }
}
