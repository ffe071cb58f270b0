import Foundation
import Gateway
import Modbus
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite("Bus thread names")
struct ThreadNameTests {
    @Test("a bus thread is named bus-<id> in /proc, as top -H and ps -L show it")
    func busThreadCarriesTheBusID() async throws {
        let meter = OracleMeter()
        let server = try ModbusTCPServer(port: 0, handler: meter)
        server.start()
        defer { server.stop() }
        let yaml = PollingConfigs.oneMeter(port: server.port, interval: "50ms", tags: PollingConfigs.oneRegister)
            .replacingOccurrences(of: "id: a,", with: "id: rs485-north,").replacingOccurrences(of: "bus: a", with: "bus: rs485-north")
        let rig = try PollingRig(yaml: yaml)
        rig.start()
        defer { rig.stop() }
        #expect(await eventually { rig.samples("m/low").count >= 2 })

        let names = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(getpid())/task")) ?? []).compactMap { tid in
            (try? String(contentsOfFile: "/proc/\(getpid())/task/\(tid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // The kernel keeps 15 bytes of "bus-rs485-north".
        #expect(names.contains("bus-rs485-north"), "threads: \(names)")
    }
}
