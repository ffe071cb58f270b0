import Foundation
import Modbus
import ModbusProtocol
import TestSupport
import Testing

/// What a simulated site costs at real speed (1×): CPU and resident memory of one `plantgate sim`
/// process serving 1, 10 and 50 lithium-hydroxide sites while every meter of every site is read once
/// a second, from /proc. The figures are printed for docs/simulator.md; the bounds are generous.
@Suite("plantgate sim --sites cost per site", .serialized, .timeLimit(.minutes(3)))
struct SiteCostTests {
    /// Unit ids of the lithium-hydroxide meters by bus (0 mcc, 1 field), and a register each answers (2 words).
    static let meters: [(bus: Int, unit: UInt8, table: RegisterTable, address: Int)] = [
        (0, 1, .holding, 3109), (0, 3, .input, 52), (1, 2, .holding, 2008), (1, 4, .holding, 2008), (1, 5, .holding, 2008), (1, 6, .holding, 0), (1, 7, .holding, 0),
    ]

    struct Cost {
        var sites: Int
        var cpuPercent: Double
        var rssMB: Double
        var reads: Int
        var failures: Int
    }

    @Test(.enabled(if: CommandLineTests.built)) func costPerSiteAtRealSpeed() async throws {
        var costs: [Cost] = []
        for sites in [1, 10, 50] { costs.append(try await Self.measure(sites: sites, seconds: 10)) }
        for cost in costs {
            print("[sites] \(cost.sites) site(s) at 1×, every meter read once a second: CPU \(Self.round(cost.cpuPercent))% of a core, "
                  + "RSS \(Self.round(cost.rssMB)) MB; \(cost.reads) reads, \(cost.failures) failed")
            #expect(cost.failures == 0 && cost.reads >= cost.sites * Self.meters.count * 8)
        }
        let (one, fifty) = (costs[0], costs[2])
        let rssPerSite = (fifty.rssMB - one.rssMB) / 49, cpuPerSite = (fifty.cpuPercent - one.cpuPercent) / 49
        print("[sites] per added site: CPU \(Self.round(cpuPerSite))% of a core, RSS \(Self.round(rssPerSite)) MB")
        #expect(rssPerSite < 4, "RSS per site \(rssPerSite) MB")
        #expect(fifty.cpuPercent < 60, "50 sites use \(fifty.cpuPercent)% of a core")
    }

    /// Starts N sites, reads every meter of every site once a second for `seconds`, and measures the
    /// process's CPU (utime + stime) over that window and its RSS at the end.
    static func measure(sites: Int, seconds: Int) async throws -> Cost {
        let scratch = try temporaryDirectory("sim-cost")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (child, port) = try await ManySitesTests.spawn(["lithium-hydroxide"], sites: sites, log: scratch.appendingPathComponent("sim.log").path)
        defer { child.signal(SIGKILL) }
        var clients: [ModbusClient] = []
        for index in 0..<(2 * sites) {
            let client = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port + index), timeouts: ModbusTimeouts(response: 1))
            try client.connect()
            clients.append(client)
        }
        var reads = 0, failures = 0
        func sweep() {
            for site in 0..<sites {
                for meter in meters {
                    reads += 1
                    if (try? clients[2 * site + meter.bus].readRegisters(meter.table, unit: meter.unit, address: meter.address, count: 2)) == nil { failures += 1 }
                }
            }
        }
        sweep()
        let cpuBefore = try cpuSeconds(child.pid), started = ContinuousClock.now
        for second in 1...seconds {
            sweep()
            let next = started + .seconds(second)
            if next > ContinuousClock.now { try await Task.sleep(until: next) }
        }
        let elapsed = ContinuousClock.now - started
        let cpu = try cpuSeconds(child.pid) - cpuBefore
        let rss = try rssMB(child.pid)
        for client in clients { client.close() }
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Cost(sites: sites, cpuPercent: 100 * cpu / wall, rssMB: rss, reads: reads, failures: failures)
    }

    /// utime + stime of a process, in seconds (/proc/PID/stat fields 14 and 15, in clock ticks).
    static func cpuSeconds(_ pid: pid_t) throws -> Double {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        guard let close = text.lastIndex(of: ")") else { throw TestSupportError("odd /proc/\(pid)/stat: \(text)") }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After "pid (comm)": field 3 is fields[0], so utime (14) is fields[11] and stime (15) fields[12].
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { throw TestSupportError("odd /proc/\(pid)/stat: \(text)") }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// VmRSS of a process in MB.
    static func rssMB(_ pid: pid_t) throws -> Double {
        let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kB = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { throw TestSupportError("no VmRSS for \(pid)") }
        return kB / 1024
    }

    static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
