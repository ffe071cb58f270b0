import Foundation
import Modbus
import ModbusProtocol
import PlantModel
import Simulator

extension SimCommand {
    /// One served copy of the scenario.
    struct Site {
        var number: Int
        var simulation: Simulation
        /// Bus mcc's port; bus field is on the next.
        var port: Int
        var truthPath: String?
        /// `site 3: ` before its log lines, empty when there is one site.
        var label: String
    }

    struct Setup {
        var sites: [Site]
        var host: String
        var serial: [SerialSettings]
        var truthInterval: Double
        var banner: String
        /// `daemon clock: PLANTGATE_SIMULATED_CLOCK=1440@START@ANCHOR`, for accelerated or back-dated runs.
        var clockLine: String?
    }

    /// Checks every option; exits 2 (usage) or 78 (fault file) with the fix.
    func prepare() throws -> Setup {
        guard let name = scenarioOption ?? scenarioArgument else {
            fail("no scenario; give --scenario NAME with one of: \(PlantScenario.names.joined(separator: ", "))", code: 2)
        }
        if let a = scenarioOption, let b = scenarioArgument, a != b {
            fail("two scenarios given (\(b) and --scenario \(a)); give one", code: 2)
        }
        guard PlantScenario.names.contains(name) else {
            fail("unknown scenario '\(name)'; the scenarios are: \(PlantScenario.names.joined(separator: ", "))", code: 2)
        }
        // Whole milliseconds: the daemon's PLANTGATE_SIMULATED_CLOCK is read to the millisecond, and at
        // 1440× a stray half millisecond is 0.7 plant seconds.
        let anchorDate = Self.wholeMilliseconds(anchor.map { date($0, option: "--anchor") } ?? Date())
        let startDate = Self.wholeMilliseconds(start.map { date($0, option: "--start") } ?? anchorDate)
        let parts = listen.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (0...65534).contains(port) else {
            fail("--listen \(listen) is not HOST:PORT with PORT 0…65534 (bus field uses PORT+1); write e.g. 127.0.0.1:1502", code: 2)
        }
        guard (1...1000).contains(sites) else { fail("--sites \(sites) must be 1…1000", code: 2) }
        if sites > 1 {
            guard port > 0 else { fail("--sites \(sites) needs a fixed --listen port (the sites take consecutive ports from it), not 0", code: 2) }
            guard port + 2 * sites - 1 <= 65535 else {
                fail("--sites \(sites) from port \(port) needs ports up to \(port + 2 * sites - 1); give a --listen port ≤ \(65536 - 2 * sites)", code: 2)
            }
            guard rtu == nil else { fail("--rtu serves one plant; use it without --sites", code: 2) }
        }
        guard speed.isFinite, speed > 0, speed <= 100_000 else { fail("--speed \(speed) must be > 0 and ≤ 100000", code: 2) }
        let step = tankhouseStep.map { text in
            guard name == "hydromet-copper" else { fail("--tankhouse-step changes the hydromet-copper tankhouse; scenario \(name) has none", code: 2) }
            guard let split = text.lastIndex(of: "="), let factor = Double(text[text.index(after: split)...]), factor > 0, factor <= 2 else {
                fail("--tankhouse-step \(text) is not TIME=FACTOR; write e.g. 2026-04-16T00:00:00+05:00=0.95 (FACTOR above 0, at most 2)", code: 2)
            }
            let time = date(String(text[..<split]), option: "--tankhouse-step")
            return TankhouseStep(atEpoch: time.timeIntervalSince1970, factor: factor)
        }
        var interval = TruthCadence.defaultInterval(speed: speed)
        if let truthInterval {
            guard let parsed = DurationText.parse(truthInterval).map(DurationText.seconds), parsed > 0 else {
                fail("--truth-interval \(truthInterval) is not a positive duration; write e.g. 1s, 250ms, 1m", code: 2)
            }
            interval = parsed
        }
        guard let parity = SerialSettings.Parity(rawValue: parity.uppercased()) else { fail("--parity \(parity): use N, E or O", code: 2) }
        let serial = (rtu ?? "").split(separator: ",").map { SerialSettings(device: String($0), baud: baud, parity: parity) }
        var schedule = FaultSchedule()
        do throws(FaultScheduleError) {
            if let faults { schedule = try FaultFile.load(path: faults) }
            for flag in faultFlags { schedule.faults.append(try FaultFlag.parse(flag)) }
            for flag in initialFlags { schedule.initial.append(try FaultFlag.parseInitial(flag)) }
            var served: [Site] = []
            for index in 0..<sites {
                guard let scenario = PlantScenario.named(name, start: startDate, seed: seed &+ UInt64(index), tankhouseStep: step) else {
                    fail("unknown scenario '\(name)'", code: 2)
                }
                let simulation = try Simulation(scenario: scenario, schedule: schedule, clock: AcceleratedClock(speed: speed, anchor: anchorDate))
                served.append(Site(number: index + 1, simulation: simulation, port: port + 2 * index,
                                   truthPath: truth.map { Self.truthPath($0, site: index + 1, of: sites) }, label: sites > 1 ? "site \(index + 1): " : ""))
            }
            let seeds = sites > 1 ? "seeds \(seed)…\(seed &+ UInt64(sites - 1))" : "seed \(seed)"
            let truthNote = truth == nil ? "" : ", truth every \(DurationText.format(.milliseconds(Int64((interval * 1000).rounded()))))"
            let banner = "scenario \(name)\(sites > 1 ? " × \(sites) sites" : "") \(seeds) speed \(speed)×, simulated start \(TruthRecord.timestamp(startDate))\(truthNote)"
            let accelerated = speed != 1 || start != nil || anchor != nil
            let clockLine = accelerated ? "daemon clock: \(Self.clockVariable)=\(Self.number(speed))@\(TruthRecord.timestamp(startDate))@\(TruthRecord.timestamp(anchorDate))" : nil
            return Setup(sites: served, host: String(parts[0]), serial: serial, truthInterval: interval, banner: banner, clockLine: clockLine)
        } catch {
            fail(error.description, code: error.origin.hasPrefix("--") ? 2 : 78)
        }
    }

    /// The daemon's variable (named here: this target does not read the daemon's clock).
    static let clockVariable = "PLANTGATE_SIMULATED_CLOCK"

    /// `truth.jsonl` for one site; with several, `{site}` replaced by the site number, else `truth-3.jsonl`.
    static func truthPath(_ path: String, site: Int, of count: Int) -> String {
        guard count > 1 else { return path }
        if path.contains("{site}") { return path.replacingOccurrences(of: "{site}", with: "\(site)") }
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        let stem = url.deletingPathExtension().lastPathComponent + "-\(site)"
        return url.deletingLastPathComponent().appendingPathComponent(ext.isEmpty ? stem : "\(stem).\(ext)").path
    }

    static func wholeMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// `1440` rather than `1440.0`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private func date(_ text: String, option: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let parsed = formatter.date(from: text) { return parsed }
        formatter.formatOptions = [.withInternetDateTime]
        guard let parsed = formatter.date(from: text) else {
            fail("\(option) \(text) is not an RFC 3339 time; write e.g. 2025-06-01T00:00:00Z", code: 2)
        }
        return parsed
    }
}
