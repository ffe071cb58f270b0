import ControlProtocol
import Foundation
import Gateway
import Modbus
import Testing
import TestSupport

/// plantgated itself: a block spanning registers the meter lacks is split once, leaves no error in
/// status, and a restart of the same config reads the parts without asking the joined block again.
@Suite("plantgated keeps a found split across restarts", .serialized)
struct SplitRestartTests {
    @Test func theSplitIsLoggedOnceWithTheFixAndReusedAfterARestart() async throws {
        let gateway = try await GatewayHarness.start()
        let broker = gateway.broker
        let meter = OracleMeter(refusing: [3102])
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let socket = gateway.controlSocket
        let config = """
            site: {id: gap, time_zone: UTC}
            mqtt: {host: 127.0.0.1, port: \(broker.port), prefix: plantgate, keepalive: 5s}
            buses:
              - {id: mcc, tcp: {host: 127.0.0.1, port: \(server.port)}, response_timeout: 300ms}
            devices:
              - id: m
                bus: mcc
                unit: 1
                interval: 200ms
                tags:
                  a: {register: "holding:3100", type: uint16}
                  b: {register: "holding:3104", type: uint16}
            """
        var logs: [String] = []
        for run in 0..<2 {
            let daemon = try gateway.startDaemon(config: config)
            var device: DeviceStatus?
            #expect(await eventually(timeout: .seconds(15)) {
                device = try? await daemonStatus(socket: socket)?.devices.first
                return device?.up == true && (device?.requests ?? 0) >= 6
            }, "run \(run): \(daemon.log)")
            #expect(device?.lastError == nil, "run \(run): \(device?.lastError ?? "")")
            #expect(device?.errors.isEmpty == true, "run \(run): \(device?.errors ?? [:])")
            #expect(await daemon.terminate() == 0)
            logs.append(daemon.log)
            #expect(meter.refusals == 1, "run \(run): the joined block was asked \(meter.refusals) times in all")
        }
        #expect(logs[0].components(separatedBy: "set `max_gap: 0` on device m").count == 2, "\(logs[0])")
        #expect(logs[0].contains("FC03 3100+5 spans registers device m does not have"))
        #expect(!logs[0].contains("0-based"))
        #expect(logs[1].contains("as split on an earlier run"), "\(logs[1])")
        #expect(!logs[1].contains("from now on"))
    }
}
