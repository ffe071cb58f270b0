import Foundation
import Modbus
import TestSupport
import Testing

@Suite("plantgate probe")
struct ProbeCommandTests {
    /// 412.75 as float32 is 0x43CE6000; a CDAB (word-swapped) meter sends 0x6000 first.
    static let flowMeter: [Int: UInt16] = [2008: 0x6000, 2009: 0x43CE, 2010: 1]

    private func server(_ device: TestDevice) throws -> ModbusTCPServer {
        let server = try ModbusTCPServer(port: 0, handler: device)
        server.start()
        return server
    }

    /// Cuts the column under `header` out of `line`, using the header line's column positions.
    private func column(_ header: String, of headerLine: String, in line: String, next: String?) -> String {
        guard let start = headerLine.range(of: header)?.lowerBound else { return "" }
        let from = headerLine.distance(from: headerLine.startIndex, to: start)
        let to = next.flatMap { headerLine.range(of: $0) }.map { headerLine.distance(from: headerLine.startIndex, to: $0.lowerBound) } ?? line.count
        let characters = Array(line)
        guard from < characters.count else { return "" }
        return String(characters[from..<min(to, characters.count)]).trimmingCharacters(in: .whitespaces)
    }

    @Test func showsRawWordsAndEveryWordOrderWithCDABReadingTheValue() async throws {
        let device = TestDevice(units: [1], registers: Self.flowMeter)
        let server = try server(device)
        defer { server.stop() }
        let result = try await PlantgateBinary.run(["probe", "--tcp", "127.0.0.1:\(server.port)", "--read", "holding:2008:2"])
        #expect(result.exitCode == 0, "stderr: \(result.standardError)")
        let lines = result.outputLines
        #expect(lines.contains { $0.contains("holding:2008") && $0.contains("0x6000") && $0.contains("24576") })
        #expect(lines.contains { $0.contains("holding:2009") && $0.contains("0x43CE") && $0.contains("17358") })
        #expect(result.standardOutput.contains(" ms"), "latency is shown")
        let header = try #require(lines.first { $0.contains("ABCD") && $0.contains("CDAB") && $0.contains("BADC") && $0.contains("DCBA") })
        let floatRow = try #require(lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("float32") })
        #expect(column("CDAB", of: header, in: floatRow, next: "BADC") == "412.75 ✓")
        for order in ["ABCD", "BADC", "DCBA"] {
            let next = ["ABCD": "CDAB", "BADC": "DCBA"][order]
            #expect(!column(order, of: header, in: floatRow, next: next).contains("✓"), "\(order) is not plausible")
        }
        #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("int32") })
        #expect(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("uint32") })
    }

    @Test func jsonHasWordsLatencyAndEveryOrder() async throws {
        let device = TestDevice(units: [4], registers: Self.flowMeter)
        let server = try server(device)
        defer { server.stop() }
        let result = try await PlantgateBinary.run(["probe", "--tcp", "127.0.0.1:\(server.port)", "--unit", "4",
                                                    "--read", "holding:2008", "--type", "float32", "--json"])
        #expect(result.exitCode == 0)
        let report = try #require(try PlantgateBinary.json(result) as? [String: Any])
        #expect(report["words"] as? [Int] == [0x6000, 0x43CE])
        #expect(report["count"] as? Int == 2)
        #expect((report["latencyMs"] as? Double).map { $0 >= 0 } == true)
        let decoded = try #require(report["decoded"] as? [[String: Any]])
        #expect(Set(decoded.compactMap { $0["order"] as? String }) == ["ABCD", "CDAB", "BADC", "DCBA"])
        let plausible = decoded.filter { $0["plausible"] as? Bool == true }
        #expect(plausible.count == 1)
        #expect(plausible.first?["order"] as? String == "CDAB")
        #expect(plausible.first?["value"] as? Double == 412.75)
        #expect(device.requests.map(\.unit) == [4])
    }

    @Test func modbusExceptionExitsOneWithTheExceptionNamed() async throws {
        let server = try server(TestDevice(units: [1], registers: Self.flowMeter))
        defer { server.stop() }
        let result = try await PlantgateBinary.run(["probe", "--tcp", "127.0.0.1:\(server.port)", "--read", "holding:9000:2"])
        #expect(result.exitCode == 1)
        #expect(result.standardError.contains("illegal data address"))
        #expect(result.standardError.contains("check the address"), "the fix is given")
    }

    @Test func refusedConnectionExits69() async throws {
        let port = try FreePort.tcp()
        let result = try await PlantgateBinary.run(["probe", "--tcp", "127.0.0.1:\(port)", "--read", "holding:0"])
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("connection refused"))
    }

    @Test func silentUnitTimesOutWithExit69AndTheFix() async throws {
        let server = try server(TestDevice(units: [1], registers: Self.flowMeter))
        defer { server.stop() }
        let result = try await PlantgateBinary.run(["probe", "--tcp", "127.0.0.1:\(server.port)", "--unit", "9",
                                                    "--read", "holding:2008:2", "--timeout", "200ms", "--json"])
        #expect(result.exitCode == 69)
        let report = try #require(try PlantgateBinary.json(result) as? [String: Any])
        let error = try #require(report["error"] as? [String: Any])
        #expect(error["kind"] as? String == "timeout")
        #expect((error["message"] as? String)?.contains("unit id") == true)
    }

    @Test(arguments: [
        ["probe", "--read", "holding:0"],
        ["probe", "--tcp", "127.0.0.1", "--read", "holding"],
        ["probe", "--tcp", "127.0.0.1", "--read", "holding:0:200"],
        ["probe", "--tcp", "127.0.0.1", "--read", "holding:0:1", "--type", "float32"],
        ["probe", "--tcp", "127.0.0.1:99999", "--read", "holding:0"],
        ["probe", "--rtu", "/dev/null", "--unit", "0", "--read", "holding:0"],
        ["probe", "--tcp", "127.0.0.1", "--read", "holding:0", "--type", "flaot32"],
    ])
    func usageErrorsExitTwo(arguments: [String]) async throws {
        let result = try await PlantgateBinary.run(arguments)
        #expect(result.exitCode == 2, "\(arguments): \(result.standardError)")
        #expect(!result.standardError.isEmpty)
    }

    @Test func configuredDeviceIsReadThroughItsPlanWithUnitsAndQuality() async throws {
        let server = try server(TestDevice(units: [3], registers: Self.flowMeter))
        defer { server.stop() }
        let scratch = try ScratchDirectory()
        let config = try scratch.write("plantgate.yaml", """
            site: {id: test-site, time_zone: UTC}
            buses:
              - id: bench
                tcp: {host: 127.0.0.1, port: \(server.port)}
                response_timeout: 300ms
            devices:
              - id: fm-test
                bus: bench
                unit: 3
                tags:
                  flow: {register: "holding:2008", type: float32, order: CDAB, unit: m3/h}
                  condition: {register: "holding:2010", type: int16, unit: "1"}
            """)
        let text = try await PlantgateBinary.run(["probe", "--device", "fm-test", "--config", config])
        #expect(text.exitCode == 0, "stderr: \(text.standardError)")
        let flow = try #require(text.outputLines.first { $0.contains("flow") && $0.contains("holding:2008") })
        #expect(flow.contains("412.75") && flow.contains("m3/h") && flow.contains("good"))

        let json = try await PlantgateBinary.run(["probe", "--device", "fm-test", "-c", config, "--json"])
        let report = try #require(try PlantgateBinary.json(json) as? [String: Any])
        let tags = try #require(report["tags"] as? [[String: Any]])
        let condition = try #require(tags.first { $0["tag"] as? String == "condition" })
        #expect(condition["value"] as? Double == 1)
        #expect(condition["quality"] as? String == "good")

        let unknown = try await PlantgateBinary.run(["probe", "--device", "fm-nope", "-c", config])
        #expect(unknown.exitCode == 2)
        #expect(unknown.standardError.contains("fm-test"), "the known devices are listed")
        let typo = try await PlantgateBinary.run(["probe", "--device", "fm-tset", "-c", config])
        #expect(typo.exitCode == 2)
        #expect(typo.standardError == "plantgate: no device \"fm-tset\" in \(config); did you mean \"fm-test\"? its devices are: fm-test\n")
    }
}
