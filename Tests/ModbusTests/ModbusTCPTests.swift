import Modbus
import ModbusProtocol
import Testing

@Suite("Modbus TCP against the project's libmodbus server")
struct ModbusTCPTests {
    let handler = TableHandler(units: [1, 2])
    let server: ModbusTCPServer
    let client: ModbusClient

    init() throws {
        server = try ModbusTCPServer(port: 0, handler: handler)
        server.start()
        client = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: server.port), timeouts: ModbusTimeouts(response: 0.3, byte: 0.1))
        try client.connect()
    }

    @Test(arguments: [RegisterTable.holding, .input])
    func readsRegisters(table: RegisterTable) throws {
        let words = try client.readRegisters(table, unit: 1, address: 3059, count: 125)
        #expect(words == (0..<125).map { TableHandler.value(at: 3059 + $0) })
    }

    @Test(arguments: [RegisterTable.coil, .discrete])
    func readsBits(table: RegisterTable) throws {
        let bits = try client.readBits(table, unit: 2, address: 10, count: 37)
        #expect(bits == (0..<37).map { (10 + $0) % 3 == 0 })
    }

    @Test func readsIntoCallerStorageWithoutAllocating() throws {
        var words = [UInt16](repeating: 0, count: 4)
        try words.withUnsafeMutableBufferPointer { buffer in
            try client.readRegisters(.holding, unit: 1, address: 3203, into: buffer)
        }
        #expect(words == [4203, 4204, 4205, 4206])
    }

    @Test(arguments: ModbusException.allCases)
    func surfacesEveryExceptionByName(code: ModbusException) throws {
        handler.setFault(.exception(code))
        let error = #expect(throws: ModbusError.self) { try client.readRegisters(.holding, unit: 1, address: 0, count: 2) }
        #expect(error?.kind == .exception(code))
        #expect(error?.description.contains(code.name) == true)
        #expect(error?.description.contains("tcp 127.0.0.1:\(server.port) unit 1") == true)
        handler.setFault(nil)
        #expect(try client.readRegisters(.holding, unit: 1, address: 5, count: 1) == [1005])
    }

    @Test func silentDeviceTimesOutAndTheLinkRecovers() throws {
        handler.setFault(.silence)
        let error = #expect(throws: ModbusError.self) { try client.readRegisters(.holding, unit: 1, address: 0, count: 1) }
        #expect(error?.kind == .timeout)
        handler.setFault(nil)
        #expect(try client.readRegisters(.holding, unit: 1, address: 7, count: 1) == [1007])
    }

    @Test func unknownUnitBehindTheGatewayTimesOut() throws {
        let error = #expect(throws: ModbusError.self) { try client.readRegisters(.holding, unit: 9, address: 0, count: 1) }
        #expect(error?.kind == .timeout)
    }

    @Test func lateReplyIsNeverTakenForTheNextRequest() throws {
        handler.setFault(.delayed(0.45, .silence))
        #expect(throws: ModbusError.self) { try client.readRegisters(.holding, unit: 1, address: 100, count: 1) }
        handler.setFault(nil)
        // The late answer (1100) arrives while this request waits; it must not be returned as 1200. A
        // stale frame closes the link, so the reply to this request cannot be taken for the next one's.
        for _ in 0..<3 {
            do {
                if !client.isConnected { try client.connect() }
                let words = try client.readRegisters(.holding, unit: 1, address: 200, count: 1)
                #expect(words == [1200])
                return
            } catch {
                #expect(error.kind == .timeout || !client.isConnected, "a stale reply must reopen the link: \(error)")
            }
        }
        Issue.record("no good read in 3 attempts after the late reply")
    }

    @Test(arguments: ReplyFault.allCases)
    func malformedRepliesNeverYieldWrongValues(fault: ReplyFault) throws {
        handler.setFault(.garbled(fault, .silence))
        // The gate is "never a wrong value": an error, or (libmodbus 3.1.6 over TCP ignores the reply's
        // unit id and bytes after the frame) exactly the right values.
        if let words = try? client.readRegisters(.holding, unit: 1, address: 300, count: 2) {
            #expect(words == [1300, 1301])
            #expect([ReplyFault.wrongUnit, .trailingJunk].contains(fault))
        }
        handler.setFault(nil)
        if !client.isConnected { try client.connect() }
        var good: [UInt16]?
        for _ in 0..<3 where good == nil {
            do {
                if !client.isConnected { try client.connect() }
                good = try client.readRegisters(.holding, unit: 1, address: 400, count: 2)
            } catch {}
        }
        #expect(good == [1400, 1401])
    }

    @Test func slowLorisReplyTripsTheByteTimeout() throws {
        handler.setFault(.trickled(0.25, .silence))
        let error = #expect(throws: ModbusError.self) { try client.readRegisters(.holding, unit: 1, address: 0, count: 4) }
        #expect(error?.kind == .timeout)
    }

    @Test func refusedConnectionSaysWhatToCheck() throws {
        let closed = try ModbusTCPServer(port: 0, handler: handler)
        let port = closed.port
        closed.stop()
        let lonely = ModbusClient(endpoint: .tcp(host: "127.0.0.1", port: port), timeouts: ModbusTimeouts(response: 0.3))
        let error = #expect(throws: ModbusError.self) { try lonely.connect() }
        #expect(error?.kind == .connectionRefused)
        #expect(error?.summary.contains("check") == true)
    }

    @Test func droppedConnectionIsReportedAsLostAndReconnects() throws {
        #expect(try client.readRegisters(.holding, unit: 1, address: 1, count: 1) == [1001])
        server.dropClients()
        let error = #expect(throws: ModbusError.self) { try client.readRegisters(.holding, unit: 1, address: 1, count: 1) }
        #expect(error?.requiresReconnect == true)
        try client.connect()
        #expect(try client.readRegisters(.holding, unit: 1, address: 1, count: 1) == [1001])
    }

    @Test func rejectsRequestsModbusCannotCarry() {
        let error = #expect(throws: ModbusError.self) { try client.readRegisters(.holding, unit: 1, address: 0, count: 126) }
        #expect(error?.kind == .invalidRequest)
        #expect(server.statistics.totalRequests == 0)
    }
}
