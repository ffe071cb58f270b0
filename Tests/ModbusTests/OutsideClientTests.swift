import Foundation
import Modbus
import Testing

/// mbpoll (Debian's package) is a Modbus client the project did not write.
@Suite("mbpoll against the project's server")
struct OutsideClientTests {
    static var hasMbpoll: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/mbpoll") }

    func mbpoll(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/mbpoll")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: hasMbpoll)) func mbpollReadsHoldingRegisters() throws {
        let server = try ModbusTCPServer(port: 0, handler: TableHandler())
        server.start()
        defer { server.stop() }
        // -0: addresses are 0-based PDU addresses; -1: poll once.
        let result = try mbpoll(["-m", "tcp", "-p", "\(server.port)", "-a", "1", "-0", "-r", "3059", "-c", "3", "-t", "4", "-1", "127.0.0.1"])
        #expect(result.status == 0)
        #expect(result.output.contains("[3059]: \t4059") || result.output.contains("[3059]:\t4059") || result.output.contains("4059"))
        #expect(result.output.contains("4061"))
    }

    @Test(.enabled(if: hasMbpoll)) func writesAreRefusedAndCounted() throws {
        let server = try ModbusTCPServer(port: 0, handler: TableHandler())
        server.start()
        defer { server.stop() }
        let result = try mbpoll(["-m", "tcp", "-p", "\(server.port)", "-a", "1", "-0", "-r", "10", "-t", "4", "127.0.0.1", "42"])
        #expect(result.status != 0)
        #expect(result.output.lowercased().contains("illegal function"))
        #expect(server.statistics.nonReadRequests >= 1)
        #expect(server.statistics.requestsByFunctionCode[6, default: 0] + server.statistics.requestsByFunctionCode[16, default: 0] >= 1)
    }
}
