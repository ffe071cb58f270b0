import Foundation
import Gateway
import Modbus
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// What the kernel says about the bus threads (/proc), not what the poller believes.
@Suite("Bus threads")
struct BusThreadTests {
    @Test("a bus thread is named bus-<id> in /proc, as top -H and ps -L show it")
    func busThreadCarriesTheBusID() async throws {
        try await Self.polling(bus: "rs485-north") { _ in
            // The kernel keeps 15 bytes of "bus-rs485-north".
            #expect(Self.taskID(named: "bus-rs485-north") != nil, "threads: \(Self.threadNames().map(\.name))")
        }
    }

    @Test("a bus thread stays at normal priority unless RLIMIT_RTPRIO grants it, and then runs SCHED_FIFO 10")
    func busThreadRunsRealtimeOnlyWhenGranted() async throws {
        // proc(5) stat fields 40 (rt_priority) and 41 (policy), counted after the command name.
        func scheduling(ofThread name: String) throws -> (policy: Int?, priority: Int?) {
            let task = try #require(Self.taskID(named: name), "no thread named \(name)")
            let stat = try String(contentsOfFile: "/proc/\(getpid())/task/\(task)/stat", encoding: .utf8)
            let fields = stat[stat.range(of: ") ")!.upperBound...].split(separator: " ")
            return (Int(fields[38]), Int(fields[37]))
        }
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(__RLIMIT_RTPRIO.rawValue), &limit)
        if limit.rlim_cur == 0 {
            try await Self.polling(bus: "rt-none") { rig in
                let policy = try scheduling(ofThread: "bus-rt-none").policy
                #expect(policy == Int(SCHED_OTHER), "no grant, even as root")
                #expect(rig.poller("rt-none")?.monitor.snapshot.realtimePriority == 0)
            }
        }
        // What LimitRTPRIO=10 does for the service; only root may raise it here.
        guard let previous = RealtimeScheduling.grantProcess() else { return }
        defer { RealtimeScheduling.restoreProcess(previous) }
        try await Self.polling(bus: "rt-check") { rig in
            let (policy, priority) = try scheduling(ofThread: "bus-rt-check")
            #expect(policy == Int(SCHED_FIFO) && priority == 10, "policy \(policy ?? -1) priority \(priority ?? -1)")
            #expect(rig.poller("rt-check")?.monitor.snapshot.realtimePriority == 10)
        }
    }

    /// Polls one meter on a bus named `bus` and runs `body` once samples flow.
    static func polling(bus: String, _ body: (PollingRig) throws -> Void) async throws {
        let server = try ModbusTCPServer(port: 0, handler: OracleMeter())
        server.start()
        defer { server.stop() }
        let yaml = PollingConfigs.oneMeter(port: server.port, interval: "50ms", tags: PollingConfigs.oneRegister)
            .replacingOccurrences(of: "id: a,", with: "id: \(bus),").replacingOccurrences(of: "bus: a", with: "bus: \(bus)")
        let rig = try PollingRig(yaml: yaml)
        rig.start()
        defer { rig.stop() }
        #expect(await eventually { rig.samples("m/low").count >= 2 })
        try body(rig)
    }

    static func threadNames() -> [(task: String, name: String)] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(getpid())/task")) ?? []
        return tasks.compactMap { task in
            (try? String(contentsOfFile: "/proc/\(getpid())/task/\(task)/comm", encoding: .utf8))
                .map { (task, $0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    static func taskID(named name: String) -> String? { threadNames().first { $0.name == name }?.task }
}
