import Modbus
import ModbusProtocol
import PlantModel

extension BusConfig {
    /// The Modbus endpoint and timeouts this bus is reached through.
    var endpoint: ModbusEndpoint { link.endpoint }

    var timeouts: ModbusTimeouts {
        ModbusTimeouts(response: DurationText.seconds(responseTimeout), byte: DurationText.seconds(byteTimeout))
    }
}

extension ModbusError {
    /// `summary` with the plantgate.yaml key that raises the timeout: the Modbus module says "the response
    /// timeout", as any program using it would; the daemon knows it as the bus's `response_timeout`.
    var configSummary: String {
        guard case .timeout = kind else { return summary }
        return summary + " (the bus's response_timeout in plantgate.yaml)"
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
