import Modbus

/// Serves one bus of a simulation: the meters whose `bus` matches, by unit id.
public struct BusHandler: ModbusRequestHandler {
    public let simulation: Simulation
    public let bus: String
    public let overSerial: Bool

    public init(simulation: Simulation, bus: String, overSerial: Bool = false) {
        self.simulation = simulation
        self.bus = bus
        self.overSerial = overSerial
    }

    public func reply(to request: ModbusRequest) -> ModbusReply {
        simulation.reply(to: request, bus: bus, overSerial: overSerial)
    }
}
