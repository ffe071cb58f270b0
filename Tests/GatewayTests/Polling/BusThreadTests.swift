import Foundation
import Gateway
import Modbus
import POSIX
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
            #expect(ProcThreads.task(named: "bus-rs485-north") != nil, "threads: \(ProcThreads.names().map(\.name))")
        }
    }

    @Test("without an RLIMIT_RTPRIO grant a bus thread keeps normal scheduling, even as root",
          .enabled(if: rtprioLimit().rlim_cur == 0, "RLIMIT_RTPRIO is already raised for this process"))
    func busThreadStaysNormalWithoutAGrant() async throws {
        try await Self.polling(bus: "rt-none") { rig in
            let policy = try Self.scheduling(ofThread: "bus-rt-none").policy
            #expect(policy == Int(SCHED_OTHER))
            #expect(rig.poller("rt-none")?.monitor.snapshot.realtimePriority == 0)
        }
    }

    // Skipped, and reported as skipped, where the grant cannot be made (no CAP_SYS_RESOURCE, hard limit < 10).
    @Test("with RLIMIT_RTPRIO 10, as LimitRTPRIO=10 gives the service, a bus thread runs SCHED_FIFO 10",
          .enabled(if: mayGrantRealtime(), "this process may not raise RLIMIT_RTPRIO to 10"))
    func busThreadRunsRealtimeWhenGranted() async throws {
        let previous = try #require(RealtimeScheduling.grantProcess())
        defer { RealtimeScheduling.restoreProcess(previous) }
        try await Self.polling(bus: "rt-check") { rig in
            let (policy, priority) = try Self.scheduling(ofThread: "bus-rt-check")
            #expect(policy == Int(SCHED_FIFO) && priority == 10, "policy \(policy ?? -1) priority \(priority ?? -1)")
            #expect(rig.poller("rt-check")?.monitor.snapshot.realtimePriority == 10)
        }
    }

    @Test("a bus thread sleeps to its next poll without waking in between, and stop wakes it at once")
    func sleepsToItsDeadlineAndStopWakesIt() async throws {
        try await Self.polling(bus: "sleeper", interval: "30s", samples: 1) { rig in
            let task = try #require(ProcThreads.task(named: "bus-sleeper"))
            let before = try ProcThreads.voluntarySwitches(task: task)
            try await Task.sleep(for: .seconds(1))
            // Sleeping in 100 ms slices would be about 10 wake-ups; one slow wake of the first cycle may land here.
            #expect(try ProcThreads.voluntarySwitches(task: task) - before <= 2)
            let clock = ContinuousClock()
            let stopping = clock.now
            rig.stop()
            #expect(clock.now - stopping < .milliseconds(500), "stop took \(clock.now - stopping) with the next poll 29 s away")
        }
    }

    /// proc(5) stat fields 40 (rt_priority) and 41 (policy), counted after the command name.
    static func scheduling(ofThread name: String) throws -> (policy: Int?, priority: Int?) {
        let task = try #require(ProcThreads.task(named: name), "no thread named \(name)")
        let stat = try String(contentsOfFile: "/proc/\(getpid())/task/\(task)/stat", encoding: .utf8)
        let fields = stat[stat.range(of: ") ")!.upperBound...].split(separator: " ")
        return (Int(fields[38]), Int(fields[37]))
    }

    /// Polls one meter on a bus named `bus` every `interval` and runs `body` once `samples` samples came.
    static func polling(bus: String, interval: String = "50ms", samples: Int = 2, _ body: (PollingRig) async throws -> Void) async throws {
        let server = try ModbusTCPServer(port: 0, handler: OracleMeter())
        server.start()
        defer { server.stop() }
        let yaml = PollingConfigs.oneMeter(port: server.port, interval: interval, tags: PollingConfigs.oneRegister)
            .replacingOccurrences(of: "id: a,", with: "id: \(bus),").replacingOccurrences(of: "bus: a", with: "bus: \(bus)")
        let rig = try PollingRig(yaml: yaml)
        rig.start()
        defer { rig.stop() }
        #expect(await eventually { rig.samples("m/low").count >= samples })
        try await body(rig)
    }
}

private func rtprioLimit() -> rlimit {
    var limit = rlimit()
    getrlimit(__rlimit_resource_t(__RLIMIT_RTPRIO.rawValue), &limit)
    return limit
}

/// A hard limit of 10 or more lets anyone raise the soft one; above it takes CAP_SYS_RESOURCE (bit 24).
private func mayGrantRealtime() -> Bool {
    if rtprioLimit().rlim_max >= 10 { return true }
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
          let mask = UInt64(line.split(separator: "\t").last ?? "", radix: 16) else { return false }
    return mask & (1 << 24) != 0
}
