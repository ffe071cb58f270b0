import Modbus
import ModbusProtocol
import Testing
import TestSupport

/// Modbus TCP devices and gateways are reached by name and over IPv6, resolved on every connect; a name
/// that does not resolve says exactly that.
@Suite("Modbus TCP by host name and IPv6", .serialized)
struct HostNameTests {
    let handler = TableHandler(units: [1])

    @Test func connectsByLocalhostAndByANameFromEtcHosts() throws {
        let server = try ModbusTCPServer(port: 0, handler: handler)
        server.start()
        defer { server.stop() }
        for name in ["localhost", try LoopbackName.fromEtcHosts()] {
            let client = ModbusClient(endpoint: .tcp(host: name, port: server.port), timeouts: ModbusTimeouts(response: 0.5))
            try client.connect()
            #expect(try client.readRegisters(.holding, unit: 1, address: 7, count: 2) == [1007, 1008], "by \(name)")
        }
    }

    @Test func connectsToAnIPv6Server() throws {
        let server = try ModbusTCPServer(host: "::1", port: 0, handler: handler)
        server.start()
        defer { server.stop() }
        let endpoint = ModbusEndpoint.tcp(host: "::1", port: server.port)
        #expect(endpoint.description == "tcp [::1]:\(server.port)")
        let client = ModbusClient(endpoint: endpoint, timeouts: ModbusTimeouts(response: 0.5))
        try client.connect()
        #expect(try client.readRegisters(.input, unit: 1, address: 100, count: 1) == [1100])
    }

    @Test(arguments: ["mcc-gw-3.invalid", "a-gateway-name-far-longer-than-fifteen-characters.invalid"])
    func anUnresolvableNameIsReportedAsThat(name: String) throws {
        let client = ModbusClient(endpoint: .tcp(host: name, port: 502), timeouts: ModbusTimeouts(response: 0.5))
        let error = #expect(throws: ModbusError.self) { try client.connect() }
        #expect(error?.kind == .hostNotFound)
        #expect(error?.counterName == "host_not_found")
        #expect(error?.summary.hasPrefix("cannot resolve host \(name): Name or service not known") == true, "\(error?.summary ?? "")")
        #expect(error?.requiresReconnect == true)
    }

    @Test func aNameIsResolvedAgainOnEveryConnect() throws {
        // A gateway's DNS entry moves: a test-only /etc/hosts alias first points where nothing listens
        // (127.0.0.2; the server is bound to 127.0.0.1), then to the server. The same client follows it.
        let server = try ModbusTCPServer(port: 0, handler: handler)
        server.start()
        defer { server.stop() }
        let alias = "plantgate-test-moving-gw"
        let hosts = try EtcHostsAlias(alias, address: "127.0.0.2")
        defer { hosts.remove() }
        let client = ModbusClient(endpoint: .tcp(host: alias, port: server.port), timeouts: ModbusTimeouts(response: 0.5))
        let refused = #expect(throws: ModbusError.self) { try client.connect() }
        #expect(refused?.kind == .connectionRefused, "\(refused?.summary ?? "")")
        try hosts.point(to: "127.0.0.1")
        try client.connect()
        #expect(try client.readRegisters(.holding, unit: 1, address: 0, count: 1) == [1000])
    }
}
