import Foundation
import Modbus
import ModbusProtocol
import TestSupport
import Testing

@Suite("plantgate scan")
struct ScanCommandTests {
    @Test func findsExactlyTheUnitsThatAnswerOnAnRTULine() async throws {
        let line = try SocatPair()
        defer { line.stop() }
        let device = TestDevice(units: [2, 5], registers: [0: 1234], exceptionUnits: [7: .illegalDataAddress])
        let server = ModbusRTUServer(serial: SerialSettings(device: line.first, baud: 19200, parity: .even), handler: device)
        try server.start()
        defer { server.stop() }

        let result = try await PlantgateBinary.run(["scan", "--rtu", line.second, "--units", "1-10", "--timeout", "400ms", "--json"],
                                                   timeout: .seconds(20))
        #expect(result.exitCode == 0, "stderr: \(result.standardError)")
        let report = try #require(try PlantgateBinary.json(result) as? [String: Any])
        let found = try #require(report["found"] as? [[String: Any]])
        #expect(found.compactMap { $0["unit"] as? Int } == [2, 5, 7])
        #expect(found.first { $0["unit"] as? Int == 2 }?["value"] as? Int == 1234)
        #expect(found.first { $0["unit"] as? Int == 7 }?["exception"] as? String == "illegal data address")
        #expect(report["probes"] as? Int == 10)
        #expect(Set(device.requests.map(\.unit)) == Set(1...10),
                "every unit id in the range was asked; the device saw \(device.requests.map(\.unit)) and discarded \(server.statistics.discardedBytes) bytes")
    }

    @Test func textReportNamesUnitsAndAnswersAndProgressGoesToStderr() async throws {
        let line = try SocatPair()
        defer { line.stop() }
        let device = TestDevice(units: [2], registers: [0: 1234], exceptionUnits: [3: .illegalFunction])
        let server = ModbusRTUServer(serial: SerialSettings(device: line.first, baud: 9600, parity: .none), handler: device)
        try server.start()
        defer { server.stop() }

        let result = try await PlantgateBinary.run(["scan", "--rtu", line.second, "--units", "1-4", "--baud", "9600",
                                                    "--parity", "N", "--timeout", "400ms"], timeout: .seconds(20))
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("found 2 devices"))
        let unit2 = try #require(result.outputLines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("2 ") })
        #expect(unit2.contains("holding:0 = 1234") && unit2.contains("9600 8N1"))
        let unit3 = try #require(result.outputLines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("3 ") })
        #expect(unit3.contains("illegal function"))
        #expect(!result.outputLines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("1 ") })
        #expect(result.standardError.contains("scanning 9600 8N1"), "plain progress lines when stderr is not a terminal")
    }

    /// A pseudo-terminal ignores line settings, so every unit answers at every setting tried, as
    /// devices with auto-baud do: each is still one device, with the settings it answered at.
    @Test func unitsAnsweringAtSeveralSettingsAreCountedOnce() async throws {
        let line = try SocatPair()
        defer { line.stop() }
        let server = ModbusRTUServer(serial: SerialSettings(device: line.first), handler: TestDevice(units: [2, 5], registers: [0: 7]))
        try server.start()
        defer { server.stop() }
        let arguments = ["scan", "--rtu", line.second, "--units", "1-6", "--baud", "9600,19200", "--parity", "E,N", "--timeout", "300ms"]

        let text = try await PlantgateBinary.run(arguments, timeout: .seconds(30))
        #expect(text.exitCode == 0, "stderr: \(text.standardError)")
        #expect(text.standardOutput.contains("found 2 devices on \(line.second):"), "\(text.standardOutput)")
        let unit2 = try #require(text.outputLines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("2 ") })
        #expect(unit2.contains("9600 8E1, 9600 8N1, 19200 8E1, 19200 8N1"), "\(unit2)")
        #expect(unit2.contains(" ms)") && unit2.contains("holding:0 = 7"))

        let json = try await PlantgateBinary.run(arguments + ["--json"], timeout: .seconds(30))
        let report = try #require(try PlantgateBinary.json(json) as? [String: Any])
        let devices = try #require(report["devices"] as? [[String: Any]])
        #expect(devices.compactMap { $0["unit"] as? Int } == [2, 5])
        #expect(devices.allSatisfy { ($0["answered_at"] as? [String])?.count == 4 })
        #expect(devices.allSatisfy { ($0["answered_at"] as? [String])?.contains($0["fastest"] as? String ?? "?") == true })
        #expect((report["found"] as? [[String: Any]])?.count == 8, "one entry per (unit, setting) pair stays for scripts")
    }

    @Test func progressBarWithTimeLeftOnATerminal() async throws {
        let line = try SocatPair()
        defer { line.stop() }
        let server = ModbusRTUServer(serial: SerialSettings(device: line.first), handler: TestDevice(units: [3], registers: [0: 1]))
        try server.start()
        defer { server.stop() }
        let result = try await PlantgateBinary.runOnTerminal(["scan", "--rtu", line.second, "--units", "1-5", "--timeout", "400ms"],
                                                             environment: ["TERM=xterm"], timeout: .seconds(20))
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("] 2/5"), "a bar with done/total")
        #expect(result.standardOutput.contains(" left"), "an estimate of the time left")
        #expect(result.standardOutput.contains("found 1 device"))
    }

    @Test func nothingAnsweringExitsOneWithAdvice() async throws {
        let line = try SocatPair()
        defer { line.stop() }
        let server = ModbusRTUServer(serial: SerialSettings(device: line.first), handler: TestDevice(units: [2, 5, 7], registers: [0: 1]))
        try server.start()
        defer { server.stop() }
        let result = try await PlantgateBinary.run(["scan", "--rtu", line.second, "--units", "8-10", "--timeout", "100ms"], timeout: .seconds(20))
        #expect(result.exitCode == 1)
        #expect(result.standardOutput.contains("no device answered"))
        #expect(result.standardOutput.contains("--baud"))
    }

    @Test func scansUnitIdsBehindATCPGatewayIgnoringTheGatewaysOwnExceptions() async throws {
        let device = TestDevice(units: [1, 4], registers: [0: 7], exceptionUnits: [2: .gatewayTargetFailedToRespond])
        let server = try ModbusTCPServer(port: 0, handler: device)
        server.start()
        defer { server.stop() }
        let result = try await PlantgateBinary.run(["scan", "--tcp", "127.0.0.1:\(server.port)", "--units", "1,2,3-5", "--timeout", "400ms", "--json"])
        #expect(result.exitCode == 0)
        let report = try #require(try PlantgateBinary.json(result) as? [String: Any])
        #expect((report["found"] as? [[String: Any]])?.compactMap { $0["unit"] as? Int } == [1, 4])
    }

    @Test func missingSerialPortExits69() async throws {
        let result = try await PlantgateBinary.run(["scan", "--rtu", "/dev/does-not-exist-ttyUSB7", "--units", "1-2"])
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("/dev/does-not-exist-ttyUSB7"))
    }

    @Test(arguments: [
        ["scan"],
        ["scan", "--rtu", "/dev/null", "--units", "0-3"],
        ["scan", "--rtu", "/dev/null", "--units", "5-2"],
        ["scan", "--rtu", "/dev/null", "--parity", "X"],
        ["scan", "--tcp", "127.0.0.1:502", "--register", "holding"],
    ])
    func usageErrorsExitTwo(arguments: [String]) async throws {
        let result = try await PlantgateBinary.run(arguments)
        #expect(result.exitCode == 2, "\(arguments): \(result.standardError)")
    }
}
