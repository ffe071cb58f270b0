import Foundation
import Modbus
import TestSupport
import Testing

/// mbpoll (Debian's package) is a Modbus client the project did not write.
@Suite("mbpoll against the project's server")
struct OutsideClientTests {
    static var hasMbpoll: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/mbpoll") }

    func mbpoll(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await ProcessRunner.run("/usr/bin/mbpoll", arguments, timeout: .seconds(10))
        return (result.exitCode, result.standardOutput + result.standardError)
    }

    @Test(.enabled(if: hasMbpoll)) func mbpollReadsHoldingRegisters() async throws {
        let server = try ModbusTCPServer(port: 0, handler: TableHandler())
        server.start()
        defer { server.stop() }
        // -0: addresses are 0-based PDU addresses; -1: poll once.
        let result = try await mbpoll(["-m", "tcp", "-p", "\(server.port)", "-a", "1", "-0", "-r", "3059", "-c", "3", "-t", "4", "-1", "127.0.0.1"])
        #expect(result.status == 0)
        #expect(result.output.contains("[3059]: \t4059") || result.output.contains("[3059]:\t4059") || result.output.contains("4059"))
        #expect(result.output.contains("4061"))
    }

    @Test(.enabled(if: hasMbpoll)) func writesAreRefusedAndCounted() async throws {
        let server = try ModbusTCPServer(port: 0, handler: TableHandler())
        server.start()
        defer { server.stop() }
        let result = try await mbpoll(["-m", "tcp", "-p", "\(server.port)", "-a", "1", "-0", "-r", "10", "-t", "4", "127.0.0.1", "42"])
        #expect(result.status != 0)
        #expect(result.output.lowercased().contains("illegal function"))
        #expect(server.statistics.nonReadRequests >= 1)
        #expect(server.statistics.requestsByFunctionCode[6, default: 0] + server.statistics.requestsByFunctionCode[16, default: 0] >= 1)
    }
}
