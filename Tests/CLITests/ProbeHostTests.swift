import Foundation
import Modbus
import Testing
import TestSupport

/// `plantgate probe --tcp` by name, IPv6 `[addr]:port`, and a name that does not resolve.
@Suite("plantgate probe by host name and IPv6", .serialized)
struct ProbeHostTests {
    @Test func readsByNameAndOverIPv6() async throws {
        let v4 = try ModbusTCPServer(port: 0, handler: TestDevice(units: [1], registers: [100: 0x43CE]))
        v4.start()
        defer { v4.stop() }
        let v6 = try ModbusTCPServer(host: "::1", port: 0, handler: TestDevice(units: [1], registers: [100: 0x43CE]))
        v6.start()
        defer { v6.stop() }
        for address in ["localhost:\(v4.port)", "\(try LoopbackName.fromEtcHosts()):\(v4.port)", "[::1]:\(v6.port)"] {
            let result = try await PlantgateBinary.run(["probe", "--tcp", address, "--read", "holding:100", "--json"])
            #expect(result.exitCode == 0, "\(address): \(result.standardError)")
            let report = try #require(try PlantgateBinary.json(result) as? [String: Any])
            #expect(report["words"] as? [Int] == [0x43CE], "\(address)")
        }
    }

    @Test func anUnresolvableNameSaysSoAndExits69() async throws {
        let result = try await PlantgateBinary.run(["probe", "--tcp", "mcc-gw-3.invalid:1502", "--read", "holding:0"])
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("cannot resolve host mcc-gw-3.invalid: Name or service not known"), "\(result.standardError)")
        #expect(!result.standardError.contains("baud") && !result.standardError.contains("wiring"))
    }
}
