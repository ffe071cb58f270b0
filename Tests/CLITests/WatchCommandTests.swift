import Foundation
import TestSupport
import Testing

@Suite("plantgate watch")
struct WatchCommandTests {
    @Test func plainLinesWithQualityAndAgeWhenNotATerminal() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path, answer: CannedReports.daemon())
        defer { daemon.stop() }
        let result = try await PlantgateBinary.run(["watch", "--socket", daemon.path, "--device", "pm-main", "--interval", "50ms", "--count", "3"])
        #expect(result.exitCode == 0, "stderr: \(result.standardError)")
        let power = result.outputLines.filter { $0.contains("pm-main/power_total") }
        #expect(power.count == 3, "one line per refresh")
        #expect(power.first?.contains("8812.5 kW good age=0.4s") == true)
        #expect(result.outputLines.contains { $0.contains("pm-main/frequency 50.01 Hz uncertain age=4s reason=STALE") })
        #expect(result.outputLines.contains { $0.contains("pm-main/energy_import - Wh bad") && $0.contains("reason=TIMEOUT") })
        #expect(result.outputLines.contains { $0.contains("lioh-1/power_kw 8812.5 kW good") })
        #expect(!result.standardOutput.contains("\u{1B}["))
        #expect(daemon.requests.count == 4, "the names are checked once, then 3 refreshes")
        let request = try #require(try JSONSerialization.jsonObject(with: Data((daemon.requests.last ?? "").utf8)) as? [String: Any])
        #expect(request["command"] as? String == "values")
        #expect(request["device"] as? String == "pm-main")
    }

    @Test func filtersAreSentToTheDaemon() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path, answer: CannedReports.daemon())
        defer { daemon.stop() }
        let result = try await PlantgateBinary.run(["watch", "--socket", daemon.path, "--line", "lioh-1", "--tag", "fm-*/volume_*", "--count", "1"])
        #expect(result.exitCode == 0)
        let request = try #require(try JSONSerialization.jsonObject(with: Data((daemon.requests.last ?? "").utf8)) as? [String: Any])
        #expect(request["line"] as? String == "lioh-1")
        #expect(request["tag"] as? String == "fm-*/volume_*")
    }

    @Test func jsonPrintsOneValuesReportPerRefresh() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path, answer: CannedReports.daemon())
        defer { daemon.stop() }
        let result = try await PlantgateBinary.run(["watch", "--socket", daemon.path, "--interval", "50ms", "--count", "2", "--json"])
        #expect(result.exitCode == 0)
        #expect(result.outputLines.count == 2)
        for line in result.outputLines {
            let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect((report["values"] as? [[String: Any]])?.count == 3)
        }
    }

    @Test func refreshesInPlaceOnATerminal() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path, answer: CannedReports.daemon())
        defer { daemon.stop() }
        let result = try await PlantgateBinary.runOnTerminal(["watch", "--socket", daemon.path, "--interval", "50ms", "--count", "2"],
                                                             environment: ["TERM=xterm"])
        #expect(result.exitCode == 0)
        let out = result.standardOutput
        #expect(out.components(separatedBy: "\u{1B}[?1049h").count == 2, "the alternate screen is entered once")
        #expect(out.components(separatedBy: "\u{1B}[H").count == 3, "each of 2 refreshes is drawn from the top-left corner")
        #expect(out.hasSuffix("\u{1B}[?25h\u{1B}[?1049l"), "the normal screen and cursor come back")
        #expect(out.contains("refresh 2/2"))
        #expect(out.contains("AGE"))
    }

    @Test(arguments: [
        (["--device", "pm-mian"], #"no device "pm-mian" in the running plantgated (/etc/plantgate/plantgate.yaml); did you mean "pm-main"? its devices are: pm-main, pm-aux"#),
        (["--line", "nosuch"], #"no line "nosuch" in the running plantgated (/etc/plantgate/plantgate.yaml); its lines are: lioh-1"#),
    ])
    func unknownDeviceOrLineIsAUsageErrorWithTheKnownIDs(arguments: [String], message: String) async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path, answer: CannedReports.daemon())
        defer { daemon.stop() }
        let result = try await PlantgateBinary.run(["watch", "--socket", daemon.path, "--count", "1"] + arguments)
        #expect(result.exitCode == 2)
        #expect(result.standardError == "plantgate: \(message)\n")
        #expect(result.standardOutput.isEmpty)
    }

    @Test func badValueAgeIsTheTimeSinceItLastReadGood() async throws {
        let scratch = try ScratchDirectory()
        let values = #"{"metrics":[],"values":[{"path":"pm-main/energy_import","unit":"Wh","quality":"bad","reason":"TIMEOUT","age_seconds":0.5,"since_good_seconds":125},{"path":"pm-main/frequency","unit":"Hz","quality":"bad","reason":"NEVER_READ"}]}"#
        let daemon = try FakeControlServer(directory: scratch.path, answer: CannedReports.daemon(values: values))
        defer { daemon.stop() }
        let result = try await PlantgateBinary.run(["watch", "--socket", daemon.path, "--count", "1"])
        #expect(result.outputLines.contains { $0.hasSuffix("pm-main/energy_import - Wh bad age=2m 5s reason=TIMEOUT") }, "\(result.outputLines)")
        #expect(result.outputLines.contains { $0.hasSuffix("pm-main/frequency - Hz bad age=never reason=NEVER_READ") })
    }

    @Test func missingSocketExits69() async throws {
        let scratch = try ScratchDirectory()
        let result = try await PlantgateBinary.run(["watch", "--socket", scratch.path + "/none.sock", "--count", "1"])
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("plantgated is not running"))
    }
}
