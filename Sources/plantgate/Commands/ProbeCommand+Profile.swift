import ArgumentParser
import Modbus
import ModbusProtocol
import PlantgateConsole
import PlantModel

extension ProbeCommand {
    /// `probe --profile NAME --tcp|--rtu`: a one-device plant built in memory, read through the same
    /// compiler and read plan as a configured device, so the technician sees what the daemon would publish.
    func probeProfile(_ name: String) async throws {
        let yaml = profileConfiguration(name)
        switch ConfigLoader.load(yaml: yaml, file: "--profile \(name)") {
        case .success(let loaded):
            guard let bus = loaded.plan.buses.first, let device = bus.devices.first else {
                throw Console.fail(.usage("profile \(name) has no readable tags"))
            }
            try await probe(plan: loaded.plan, bus: bus, device: device, id: name)
        case .failure(let diagnostics):
            Console.error(diagnostics.description)
            throw Console.fail(.usage("--tcp/--rtu options do not make a valid meter for profile \(name)"))
        }
    }

    /// The configuration text of one bus with one device using profile `name`.
    func profileConfiguration(_ name: String) -> String {
        let link: String
        if let tcp, let address = TCPAddress(parsing: tcp) {
            link = "tcp: {host: \"\(address.host)\", port: \(address.port)}"
        } else {
            let serial = rtu ?? ""
            link = "serial: {device: \"\(serial)\", baud: \(baud ?? 19200), parity: \"\((parity ?? .even).rawValue)\", "
                + "data_bits: \(dataBits), stop_bits: \(stopBits)}"
        }
        let response = Int(((timeout?.seconds ?? 1) * 1000).rounded())
        return """
            site: {id: probe}
            mqtt: {host: 127.0.0.1}
            buses:
              - id: probe
                \(link)
                response_timeout: \(response)ms
            devices:
              - {id: \(name), bus: probe, unit: \(unit), profile: \(name)}
            """
    }
}
