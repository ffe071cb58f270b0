import Modbus
import ModbusProtocol

/// The Modbus servers of a simulation: bus `mcc` and bus `field` on TCP (several units behind each
/// port, as behind a gateway), and the `field` bus on serial lines too.
public final class PlantServers: Sendable {
    /// One served bus on one link.
    public struct Served: Sendable {
        public var bus: String
        /// `127.0.0.1:1502` or `rtu /dev/ttyUSB0 19200 8E1`.
        public var link: String
        public var tcp: ModbusTCPServer?
        public var rtu: ModbusRTUServer?
    }

    public let served: [Served]
    public let simulation: Simulation

    /// Binds `mcc` on `mccPort` and `field` on `fieldPort` (0: any free port) and prepares serial lines.
    /// Throws (nothing started) when a port is taken.
    public init(simulation: Simulation, host: String = "127.0.0.1", mccPort: Int, fieldPort: Int, serial: [SerialSettings] = []) throws(ModbusError) {
        self.simulation = simulation
        var served: [Served] = []
        for (bus, port) in [("mcc", mccPort), ("field", fieldPort)] {
            let server = try ModbusTCPServer(host: host, port: port, handler: BusHandler(simulation: simulation, bus: bus))
            served.append(Served(bus: bus, link: "\(host):\(server.port)", tcp: server))
        }
        for settings in serial {
            let server = ModbusRTUServer(serial: settings, handler: BusHandler(simulation: simulation, bus: "field", overSerial: true))
            served.append(Served(bus: "field", link: ModbusEndpoint.rtu(settings).description, rtu: server))
        }
        self.served = served
    }

    /// The TCP port of a bus.
    public func port(of bus: String) -> Int? { served.first { $0.bus == bus && $0.tcp != nil }?.tcp?.port }

    /// Starts every server; a serial line that cannot be opened stops the others and throws.
    public func start() throws(ModbusError) {
        for item in served { item.tcp?.start() }
        for item in served {
            do throws(ModbusError) {
                try item.rtu?.start()
            } catch {
                stop()
                throw error
            }
        }
    }

    public func stop() {
        for item in served {
            item.tcp?.stop()
            item.rtu?.stop()
        }
    }

    /// One line per served link: `serving bus mcc on 127.0.0.1:1502: pm-main unit 1, pm-aux unit 3`.
    public var descriptions: [String] {
        simulation.withPlant(at: 0) { plant, _ in
            served.map { item in
                let meters = plant.meters.filter { $0.bus == item.bus }.sorted { $0.unit < $1.unit }
                return "serving bus \(item.bus) on \(item.link): " + meters.map { "\($0.id) unit \($0.unit)" }.joined(separator: ", ")
            }
        }
    }

    /// Requests received so far by function code, per served link (`mcc`, `field`, `field rtu /dev/...`).
    public var requestCounts: [String: [UInt8: Int]] {
        var counts: [String: [UInt8: Int]] = [:]
        for item in served {
            let key = item.tcp != nil ? item.bus : "\(item.bus) \(item.link)"
            counts[key] = (item.tcp?.statistics ?? item.rtu?.statistics)?.requestsByFunctionCode ?? [:]
        }
        return counts
    }
}
