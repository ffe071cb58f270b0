import Testing
@testable import PlantModel

/// `buses[].tcp.host` takes names, IPv4, IPv6 (bare or in brackets) and `[addr]:port`.
@Suite struct TCPEndpointConfigTests {
    static func yaml(_ tcp: String) -> String {
        """
        site: {id: s, time_zone: UTC}
        buses:
          - {id: mcc, tcp: \(tcp)}
        devices:
          - {id: m, bus: mcc, unit: 1, tags: {v: {register: "holding:10", type: uint16}}}
        """
    }

    static func link(_ tcp: String) -> BusLink? {
        guard case .success(let loaded) = ConfigLoader.load(yaml: yaml(tcp), file: "plantgate.yaml") else { return nil }
        return loaded.plan.buses.first?.bus.link
    }

    @Test(arguments: [
        (#"{host: localhost}"#, "localhost", 502),
        (#"{host: mcc-gateway-3.plant.example, port: 1502}"#, "mcc-gateway-3.plant.example", 1502),
        (#"{host: "::1", port: 1502}"#, "::1", 1502),
        (#"{host: "[::1]", port: 1502}"#, "::1", 1502),
        (#"{host: "[fd00::7]:1503"}"#, "fd00::7", 1503),
        (#"{host: "10.0.0.7:1504"}"#, "10.0.0.7", 1504),
    ])
    func acceptsNamesAndIPv6(tcp: String, host: String, port: Int) {
        #expect(Self.link(tcp) == .tcp(host: host, port: port), "\(tcp)")
    }

    @Test func aHostAndAPortThatDisagreeAreRefused() {
        let messages = Fixtures.messages(Self.yaml(#"{host: "[::1]:1502", port: 1503}"#))
        #expect(messages.contains { $0.contains("buses[0].tcp.port: the host says port 1502 but port: says 1503") }, "\(messages)")
    }

    @Test(arguments: [#"{host: "[::1"}"#, #"{host: "gw 3"}"#, #"{host: "[::1]:99999"}"#])
    func malformedHostsAreRefusedWithTheFix(tcp: String) {
        let messages = Fixtures.messages(Self.yaml(tcp))
        #expect(messages.contains { $0.contains("buses[0].tcp.host:") && $0.contains("IPv6 address in brackets") }, "\(messages)")
    }
}
