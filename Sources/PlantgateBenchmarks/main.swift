import Foundation
import Gateway
import POSIX

#if canImport(Glibc)
import Glibc
#endif

// PlantgateBenchmarks [--quick] [--json FILE] [--only polling|engine|daemon|publisher|ledger|wakeups|scale ...] [--binaries DIR]
//
// Polls 1,000 and 15,000 registers at 1 Hz and 10 Hz against Modbus servers in a child process, runs
// the ESG engine alone, runs the shipped plantgated publishing every value to mosquitto (10,000 msg/s),
// runs the publisher benchmarks and the ledger's append, verify and size figures, counts the daemon's context
// switches on the example lithium-hydroxide plant (plantgated and plantgate from DIR, default beside this
// benchmark), runs the daemon at 1,000 / 15,000 / 50,000 registers (the scale curve, drawn by
// Deploy/bench/plot-scale.py), and prints one JSON document (also written to FILE).

let arguments = CommandLine.arguments
if let index = arguments.firstIndex(of: "--serve"), index + 1 < arguments.count, let count = Int(arguments[index + 1]) {
    RegisterServerProcess.serve(count: count, changing: arguments.contains("--changing"))
}
AllocationCounter.preloadIfPossible()
signal(SIGPIPE, SIG_IGN)

let quick = arguments.contains("--quick")
let jsonPath = arguments.firstIndex(of: "--json").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
let sections = ["polling", "engine", "daemon", "publisher", "ledger", "wakeups", "scale"]
// Anything else is a mistake to name, not a reason to run every section (`--help` once started them all).
let takesValue: Set<String> = ["--json", "--only", "--binaries"]
var position = 1
while position < arguments.count {
    let argument = arguments[position]
    if takesValue.contains(argument) {
        position += 2
    } else if argument == "--quick" {
        position += 1
    } else {
        FileHandle.standardError.write(Data(
            "PlantgateBenchmarks: unknown argument \"\(argument)\"; usage: PlantgateBenchmarks [--quick] [--json FILE] [--only \(sections.joined(separator: "|")) ...] [--binaries DIR]\n".utf8))
        exit(64)
    }
}
let only = Set(arguments.indices.filter { arguments[$0] == "--only" && $0 + 1 < arguments.count }.map { arguments[$0 + 1] })
if let unknown = only.first(where: { !sections.contains($0) }) {
    FileHandle.standardError.write(Data("--only \(unknown): expected one of \(sections.joined(separator: ", "))\n".utf8))
    exit(64)
}
func runs(_ section: String) -> Bool { only.isEmpty || only.contains(section) }

struct BenchmarkReport: Codable {
    var quick: Bool
    var allocationCounting: Bool
    var cpuCores: Int
    var polling: [PollingBenchmarkResult] = []
    var daemon: [DaemonBenchmarkResult] = []
    var engine: EngineBenchmarkResult?
    var publisher: PublisherBenchmarkResults?
    var ledger: LedgerBenchmarkResult?
    var wakeups: WakeupBenchmarkResult?
    var scale: ScaleCurve?
    var failures: [String] = []
}

func log(_ text: String) {
    FileHandle.standardError.write(Data("[bench] \(text)\n".utf8))
}

// As the realtime.conf drop-in's LimitRTPRIO=10 does for the service (effective as root): bus threads,
// in-process and in the daemon children, may run SCHED_FIFO.
if RealtimeScheduling.grantProcess() == nil { log("could not raise RLIMIT_RTPRIO: bus threads run at normal priority") }

var report = BenchmarkReport(quick: quick, allocationCounting: AllocationCounter.count != nil, cpuCores: ProcessInfo.processInfo.activeProcessorCount)
let scenarios: [(name: String, registers: Int, buses: Int, devicesPerBus: Int, interval: Int, seconds: Double)] = [
    ("1k-registers-1Hz", 1_000, 2, 2, 1_000, quick ? 8 : 30),
    ("1k-registers-10Hz", 1_000, 2, 2, 100, quick ? 5 : 15),
    ("15k-registers-1Hz", 15_000, 4, 10, 1_000, quick ? 8 : 30),
    ("15k-registers-10Hz", 15_000, 4, 10, 100, quick ? 5 : 15),
]
for scenario in scenarios where runs("polling") {
    log("polling \(scenario.name) for \(scenario.seconds) s")
    do {
        report.polling.append(try PollingBenchmark.run(name: scenario.name, registers: scenario.registers, buses: scenario.buses,
                                                       devicesPerBus: scenario.devicesPerBus, intervalMilliseconds: scenario.interval,
                                                       warmup: quick ? 2 : 3, seconds: scenario.seconds))
    } catch {
        report.failures.append("\(scenario.name): \(error)")
    }
}
/// Writes what has been measured so far, so a section that hangs still leaves the earlier figures.
func save(_ report: BenchmarkReport) -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json = (try? encoder.encode(report)) ?? Data("{}".utf8)
    if let jsonPath {
        do { try json.write(to: URL(fileURLWithPath: jsonPath)) } catch { log("cannot write \(jsonPath): \(error)") }
    }
    return json
}

_ = save(report)
if runs("engine") {
    log("ESG engine ingest")
    do { report.engine = try EngineBenchmark.run(samples: quick ? 2_000_000 : 10_000_000) } catch { report.failures.append("engine: \(error)") }
    _ = save(report)
}
// The shipped daemon: every poll of 1,000 uint16 tags at 10 Hz published (10,000 msg/s), and 15,000
// registers (float32/int64) at 1 Hz, every value changing and published on change.
let daemonScenarios: [(name: String, registers: Int, buses: Int, devicesPerBus: Int, interval: Int, type: String?, publish: String)] = [
    ("daemon-1k-tags-10Hz-every-poll", 1_000, 2, 5, 100, "uint16", "every_poll"),
    ("daemon-15k-registers-1Hz-on-change", 15_000, 4, 10, 1_000, nil, "on_change"),
]
for scenario in daemonScenarios where runs("daemon") {
    log("plantgated \(scenario.name)")
    do {
        report.daemon.append(try DaemonBenchmark.run(name: scenario.name, registers: scenario.registers, buses: scenario.buses,
                                                     devicesPerBus: scenario.devicesPerBus, intervalMilliseconds: scenario.interval,
                                                     tagType: scenario.type, publish: scenario.publish, warmup: 15, seconds: quick ? 8 : 120))
    } catch {
        report.failures.append("\(scenario.name): \(error)")
    }
    _ = save(report)
}
if runs("publisher") {
    log("publisher")
    do { report.publisher = try await runPublisherBenchmarks(messages: quick ? 5_000 : 20_000) } catch { report.failures.append("publisher: \(error)") }
}
if runs("ledger") {
    log("ledger append, verify and size")
    do { report.ledger = try LedgerBenchmark.run(entries: quick ? 500 : 2_000) } catch { report.failures.append("ledger: \(error)") }
}
if runs("wakeups") {
    log("plantgated context switches on the example lithium-hydroxide plant")
    let binaries = arguments.firstIndex(of: "--binaries").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    do { report.wakeups = try WakeupBenchmark.run(binaries: binaries, warmup: 15, seconds: quick ? 15 : 40) } catch { report.failures.append("wakeups: \(error)") }
}
if runs("scale") {
    do { report.scale = try ScaleCurve.run(warmup: 15, seconds: quick ? 10 : 30, log: log) } catch { report.failures.append("scale: \(error)") }
}
print(String(decoding: save(report), as: UTF8.self))
exit(report.failures.isEmpty ? 0 : 1)
