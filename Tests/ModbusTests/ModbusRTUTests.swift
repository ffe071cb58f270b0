import Modbus
import ModbusProtocol
import TestSupport
import Testing

@Suite("Modbus RTU over a socat pseudo-serial line")
struct ModbusRTUTests {
    @Test func readsFromTwoUnitsOnOneBusAndIgnoresOthers() throws {
        let line = try SocatPair()
        defer { line.stop() }
        let server = ModbusRTUServer(serial: SerialSettings(device: line.first, baud: 38400, parity: .even), handler: TableHandler(units: [2, 5]))
        try server.start()
        defer { server.stop() }
        let client = ModbusClient(endpoint: .rtu(SerialSettings(device: line.second, baud: 38400, parity: .even)), timeouts: ModbusTimeouts(response: 0.3, byte: 0.05))
        try client.connect()
        #expect(try client.readRegisters(.holding, unit: 2, address: 2008, count: 4) == [3008, 3009, 3010, 3011])
        #expect(try client.readRegisters(.input, unit: 5, address: 0, count: 2) == [1000, 1001])
        #expect(try client.readBits(.coil, unit: 5, address: 3, count: 3) == [true, false, false])
        let error = #expect(throws: ModbusError.self) { try client.readRegisters(.holding, unit: 3, address: 0, count: 1) }
        #expect(error?.kind == .timeout)
        #expect(try client.readRegisters(.holding, unit: 2, address: 1, count: 1) == [1001])
    }

    @Test func badCRCIsRejectedNotDecoded() throws {
        let line = try SocatPair()
        defer { line.stop() }
        let handler = TableHandler(units: [1])
        let server = ModbusRTUServer(serial: SerialSettings(device: line.first, baud: 19200), handler: handler)
        try server.start()
        defer { server.stop() }
        let client = ModbusClient(endpoint: .rtu(SerialSettings(device: line.second, baud: 19200)), timeouts: ModbusTimeouts(response: 0.3, byte: 0.05))
        try client.connect()
        handler.setFault(.garbled(.badCRC, .silence))
        let error = #expect(throws: ModbusError.self) { try client.readRegisters(.holding, unit: 1, address: 0, count: 2) }
        #expect(error?.kind == .garbled(.badCRC))
        handler.setFault(nil)
        #expect(try client.readRegisters(.holding, unit: 1, address: 0, count: 2) == [1000, 1001])
    }

    @Test func missingSerialDeviceIsRefusedWithTheFix() {
        let client = ModbusClient(endpoint: .rtu(SerialSettings(device: "/dev/does-not-exist-ttyUSB9")))
        let error = #expect(throws: ModbusError.self) { try client.connect() }
        #expect(error?.kind == .noSuchDevice)
        #expect(error?.summary.contains("no such device /dev/does-not-exist-ttyUSB9") == true)
        #expect(error?.summary.contains("/dev/serial/by-id/") == true, "points to the stable adapter names")
    }
}
