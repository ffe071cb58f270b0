/// YAML for the polling tests: one oracle meter (`m`, unit 1) on one bus, with chosen tags.
enum PollingConfigs {
    /// A TCP bus `a` with meter `m`; `tags` are YAML lines `name: {register: …, type: …}`.
    static func oneMeter(port: Int, interval: String, tags: [String], bus: String = "") -> String {
        """
        site: {id: polling-test, time_zone: UTC}
        buses:
          - {id: a, tcp: {host: 127.0.0.1, port: \(port)}\(bus.isEmpty ? "" : ", " + bus)}
        devices:
          - id: m
            bus: a
            unit: 1
            interval: \(interval)
            tags:
        \(tags.map { "      " + $0 }.joined(separator: "\n"))
        """
    }

    /// Two TCP buses, `a` (meter `ma`) and `b` (meter `mb`), one uint16 tag each.
    static func twoBuses(portA: Int, portB: Int, interval: String, busSettings: String) -> String {
        """
        site: {id: polling-test, time_zone: UTC}
        buses:
          - {id: a, tcp: {host: 127.0.0.1, port: \(portA)}, \(busSettings)}
          - {id: b, tcp: {host: 127.0.0.1, port: \(portB)}, \(busSettings)}
        devices:
          - {id: ma, bus: a, unit: 1, interval: \(interval), tags: {v: {register: "holding:10", type: uint16}}}
          - {id: mb, bus: b, unit: 1, interval: \(interval), tags: {v: {register: "holding:10", type: uint16}}}
        """
    }

    /// One TCP bus `a` with devices (in this order) sharing it, one uint16 tag `v` each.
    static func sharedBus(port: Int, interval: String, bus: String = "", devices: [(id: String, unit: Int)]) -> String {
        """
        site: {id: polling-test, time_zone: UTC}
        buses:
          - {id: a, tcp: {host: 127.0.0.1, port: \(port)}\(bus.isEmpty ? "" : ", " + bus)}
        devices:
        \(devices.map { "  - {id: \($0.id), bus: a, unit: \($0.unit), interval: \(interval), tags: {v: {register: \"holding:10\", type: uint16}}}" }.joined(separator: "\n"))
        """
    }

    /// An RTU bus on a serial device with meter `m`.
    static func serialMeter(device: String, interval: String, tags: [String], bus: String) -> String {
        """
        site: {id: polling-test, time_zone: UTC}
        buses:
          - {id: a, serial: {device: \(device), baud: 19200, parity: N}, \(bus)}
        devices:
          - id: m
            bus: a
            unit: 1
            interval: \(interval)
            tags:
        \(tags.map { "      " + $0 }.joined(separator: "\n"))
        """
    }

    static let oneRegister = [#"low: {register: "holding:10", type: uint16}"#]
}
