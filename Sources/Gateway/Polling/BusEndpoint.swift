import Modbus
import PlantModel

extension BusConfig {
    /// The Modbus endpoint and timeouts this bus is reached through.
    var endpoint: ModbusEndpoint {
        switch link {
        case .tcp(let host, let port):
            return .tcp(host: host, port: port)
        case .serial(let serial):
            let parity = Modbus.SerialSettings.Parity(rawValue: String(serial.parity)) ?? .even
            return .rtu(Modbus.SerialSettings(device: serial.device, baud: serial.baud, parity: parity,
                                              dataBits: serial.dataBits, stopBits: serial.stopBits))
        }
    }

    var timeouts: ModbusTimeouts {
        ModbusTimeouts(response: DurationText.seconds(responseTimeout), byte: DurationText.seconds(byteTimeout))
    }
}

extension PlantModel.RegisterTable {
    /// The same table as the Modbus module names it (the pure core and the C wrapper each keep their own type).
    var modbus: Modbus.RegisterTable {
        switch self {
        case .coil: .coil
        case .discrete: .discrete
        case .holding: .holding
        case .input: .input
        }
    }
}

extension ModbusError.Kind {
    /// The sample reason a failed read gives the tags it should have fed.
    public var sampleReason: SampleReason {
        switch self {
        case .timeout: .timeout
        case .exception, .unknownException: .exception
        case .garbled: .garbled
        case .connectionLost, .connectionRefused, .hostNotFound, .unreachable, .permissionDenied, .noSuchDevice, .system: .connection
        case .invalidRequest: .decodeFailure
        }
    }
}
