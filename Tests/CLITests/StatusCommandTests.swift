import Foundation
import TestSupport
import Testing

@Suite("plantgate status")
struct StatusCommandTests {
    @Test func tableShowsDaemonBrokerBusesDevicesAndMetrics() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path) { _ in CannedReports.allUp }
        defer { daemon.stop() }
        let result = try await PlantgateBinary.run(["status", "--socket", daemon.path])
        #expect(result.exitCode == 0, "stderr: \(result.standardError)")
        let out = result.standardOutput
        #expect(out.contains("plantgated 0.1.0") && out.contains("up 3h 12m"))
        #expect(out.contains("/etc/plantgate/plantgate.yaml") && out.contains("changed 2d 0h ago"))
        #expect(out.contains("connected, spool 17 on disk + 230 in memory, dropped 2"))
        let bus = try #require(result.outputLines.first { $0.hasPrefix("mcc ") })
        #expect(bus.contains("up") && bus.contains("42%") && bus.contains("3"))
        let device = try #require(result.outputLines.first { $0.hasPrefix("pm-aux ") })
        #expect(device.contains(" up ") && device.contains("10:00:00Z") && device.contains("11 ms"))
        #expect(!device.contains("3.2 ms"), "p50 only with --all")
        // One row per metric, its windows side by side, the quality of the shortest window with a value.
        let power = try #require(result.outputLines.first { $0.contains("power_kw") })
        #expect(power.split(separator: " ") == ["power_kw", "8812.5", "8801", "8790.25", "kW", "good"])
        let sec = try #require(result.outputLines.first { $0.contains("sec_electric_kwh_per_t") })
        #expect(sec.split(separator: " ") == ["sec_electric_kwh_per_t", "-", "-", "3512.5", "kWh/t", "good"])
        #expect(result.outputLines.contains("line lioh-1: 2 of 3 metrics (all: plantgate status --all)"))
        #expect(!out.contains("water_intensity_m3_per_t"))
        #expect(!out.contains("\u{1B}["), "no colour when stdout is not a terminal")
        #expect(daemon.requests.count == 1)
        let request = try #require(try JSONSerialization.jsonObject(with: Data((daemon.requests.first ?? "").utf8)) as? [String: Any])
        #expect(request["command"] as? String == "status")
    }

    @Test func allShowsEveryMetricAndTheDeviceCounters() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path) { _ in CannedReports.allUp }
        defer { daemon.stop() }
        let result = try await PlantgateBinary.run(["status", "--socket", daemon.path, "--all"])
        #expect(result.exitCode == 0)
        let device = try #require(result.outputLines.first { $0.hasPrefix("pm-aux ") })
        #expect(device.contains("2025-03-01T10:00:00.250Z") && device.contains("3.2 ms") && device.contains("1200"))
        let water = try #require(result.outputLines.first { $0.contains("water_intensity_m3_per_t") })
        #expect(water.split(separator: " ") == ["water_intensity_m3_per_t", "-", "-", "-", "m3/t", "bad"])
        #expect(result.outputLines.contains("line lioh-1"))
    }

    @Test func deviceDownExitsOneAndShowsItsErrorsAndLastError() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path) { _ in CannedReports.oneDown }
        defer { daemon.stop() }
        let result = try await PlantgateBinary.run(["status", "--socket", daemon.path])
        #expect(result.exitCode == 1)
        let device = try #require(result.outputLines.first { $0.hasPrefix("pm-aux ") })
        #expect(device.contains("down") && device.contains("timeout 14") && device.contains("exception_02 1"))
        // The last minute's errors stand apart from the totals since start.
        let header = try #require(result.outputLines.first { $0.hasPrefix("DEVICE") })
        func column(_ title: String) throws -> Substring {
            let offset = header.distance(from: header.startIndex, to: try #require(header.range(of: title)).lowerBound)
            return Substring(String(Array(device).dropFirst(offset)))
        }
        #expect(try column("ERRORS NOW").hasPrefix("timeout 2 "), "\(device)")
        #expect(try column("SINCE START").hasPrefix("exception_02 1, timeout 14"), "\(device)")
        #expect(result.standardOutput.contains("pm-aux: down, error now at 2025-03-01T09:59:58Z: no reply in time"))
        #expect(result.standardError.contains("1 device down: pm-aux"))
    }

    @Test func jsonIsTheStatusReportAndStillExitsOneWhenADeviceIsDown() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path) { _ in CannedReports.oneDown }
        defer { daemon.stop() }
        let result = try await PlantgateBinary.run(["status", "--socket", daemon.path, "--json"])
        #expect(result.exitCode == 1)
        let report = try #require(try PlantgateBinary.json(result) as? [String: Any])
        #expect(report["site"] as? String == "kz-lioh")
        let devices = try #require(report["devices"] as? [[String: Any]])
        #expect(devices.compactMap { $0["up"] as? Bool } == [true, false])
    }

    @Test func missingSocketMeansTheDaemonIsNotRunning() async throws {
        let scratch = try ScratchDirectory()
        let result = try await PlantgateBinary.run(["status", "--socket", scratch.path + "/control.sock"])
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("plantgated is not running"))
        #expect(result.standardError.contains("systemctl start plantgated"))
    }

    /// Root may connect to any socket, so this runs only as an ordinary user.
    @Test(.enabled(if: geteuid() != 0, "root is never denied a socket"))
    func unreadableSocketSaysHowToJoinTheGroup() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path) { _ in CannedReports.allUp }
        defer { daemon.stop() }
        chmod(daemon.path, 0)
        let result = try await PlantgateBinary.run(["status", "--socket", daemon.path])
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("permission denied on \(daemon.path)"))
        #expect(result.standardError.contains("usermod -aG plantgate"))
    }

    @Test func daemonFailureAnswerIsReportedAsUnavailable() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path) { _ in #"{"error":"still loading the configuration"}"# }
        defer { daemon.stop() }
        let result = try await PlantgateBinary.run(["status", "--socket", daemon.path])
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("still loading the configuration"))
    }

    @Test func terminalGetsColourUnlessNoColourIsSet() async throws {
        let scratch = try ScratchDirectory()
        let daemon = try FakeControlServer(directory: scratch.path) { _ in CannedReports.allUp }
        defer { daemon.stop() }
        let coloured = try await PlantgateBinary.runOnTerminal(["status", "--socket", daemon.path], environment: ["TERM=xterm"])
        #expect(coloured.standardOutput.contains("\u{1B}[32mup\u{1B}[0m"), "green 'up' on a terminal")
        let plain = try await PlantgateBinary.runOnTerminal(["status", "--socket", daemon.path], environment: ["TERM=xterm", "NO_COLOR=1"])
        #expect(plain.standardOutput.contains("pm-main"))
        #expect(!plain.standardOutput.contains("\u{1B}["), "NO_COLOR turns colour off")
    }
}
