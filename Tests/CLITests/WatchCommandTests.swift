import Foundation
import TestSupport
import Testing

@Suite("plantgate watch")
struct WatchCommandTests {
    @Test func plainLinesWithQualityAndAgeWhenNotATerminal() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path) { _ in CannedReports.values }
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
        #expect(daemon.requests.count == 3)
        let request = try #require(try JSONSerialization.jsonObject(with: Data((daemon.requests.first ?? "").utf8)) as? [String: Any])
        #expect(request["command"] as? String == "values")
        #expect(request["device"] as? String == "pm-main")
    }

    @Test func filtersAreSentToTheDaemon() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path) { _ in CannedReports.values }
        defer { daemon.stop() }
        let result = try await PlantgateBinary.run(["watch", "--socket", daemon.path, "--line", "lioh-1", "--tag", "fm-*/volume_*", "--count", "1"])
        #expect(result.exitCode == 0)
        let request = try #require(try JSONSerialization.jsonObject(with: Data((daemon.requests.first ?? "").utf8)) as? [String: Any])
        #expect(request["line"] as? String == "lioh-1")
        #expect(request["tag"] as? String == "fm-*/volume_*")
    }

    @Test func jsonPrintsOneValuesReportPerRefresh() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path) { _ in CannedReports.values }
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
        let daemon = try FakeControlServer(directory: scratch.path) { _ in CannedReports.values }
        defer { daemon.stop() }
        let result = try await PlantgateBinary.runOnTerminal(["watch", "--socket", daemon.path, "--interval", "50ms", "--count", "2"],
                                                             environment: ["TERM=xterm"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.components(separatedBy: "\u{1B}[H\u{1B}[2J").count == 3, "the screen is cleared before each of 2 refreshes")
        #expect(result.standardOutput.contains("refresh 2/2"))
        #expect(result.standardOutput.contains("AGE"))
    }

    @Test func missingSocketExits69() async throws {
        let scratch = try ScratchDirectory()
        let result = try await PlantgateBinary.run(["watch", "--socket", scratch.path + "/none.sock", "--count", "1"])
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("plantgated is not running"))
    }
}
