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

    @Test("a bus thread runs SCHED_FIFO at priority 10 when the process may, and normal scheduling when not")
    func busThreadRunsRealtimeWhenPermitted() async throws {
        try await Self.polling(bus: "rt-check") { rig in
            let task = try #require(Self.taskID(named: "bus-rt-check"), "no thread named bus-rt-check")
            // proc(5) stat fields 40 (rt_priority) and 41 (policy), counted after the command name.
            let stat = try String(contentsOfFile: "/proc/\(getpid())/task/\(task)/stat", encoding: .utf8)
            let fields = stat[stat.range(of: ") ")!.upperBound...].split(separator: " ")
            let (rtPriority, policy) = (Int(fields[37]), Int(fields[38]))
            var limit = rlimit()
            getrlimit(__rlimit_resource_t(__RLIMIT_RTPRIO.rawValue), &limit)
            if geteuid() == 0 || limit.rlim_cur >= 10 {
                #expect(policy == Int(SCHED_FIFO) && rtPriority == 10, "policy \(policy ?? -1) priority \(rtPriority ?? -1)")
            } else {
                #expect(policy == Int(SCHED_OTHER), "policy \(policy ?? -1) without permission")
            }
            #expect(rig.poller("rt-check")?.monitor.snapshot.realtimePriority == (policy == Int(SCHED_FIFO) ? rtPriority : 0))
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
