import Foundation
import Modbus
import Testing
import TestSupport

/// `plantgate fleet` against a real broker with real gateways of two sites.
@Suite("plantgate fleet against real gateways", .serialized, .timeLimit(.minutes(2)))
struct FleetCommandTests {
    static func sites(_ result: ProcessResult) -> [String: [String: Any]] {
        let report = (try? PlantgateBinary.json(result)) as? [String: Any]
        let sites = report?["sites"] as? [[String: Any]] ?? []
        return Dictionary(sites.compactMap { site in (site["site"] as? String).map { ($0, site) } }, uniquingKeysWith: { a, _ in a })
    }

    @Test("all online: exit 0; a site killed: offline, exit 1; its meter gone: device down, exit 1")
    func fleetView() async throws {
        let east = try await GatewayHarness.start()
        let broker = east.broker
        let west = try await GatewayHarness.start(sharing: broker)
        let meter = try ModbusTCPServer(port: 0, handler: TestDevice(units: [1], registers: [100: 0x43CE, 101: 0x6000]))
        meter.start()
        defer { meter.stop() }
        var gateways: [String: BuiltExecutable] = [:]
        for (site, harness) in [("east", east), ("west", west)] {
            // keepalive 5 s: the broker publishes a killed gateway's last will within 7.5 s.
            gateways[site] = try harness.startDaemon(config: LiveGateway.config(site: site, brokerPort: broker.port, meterPort: meter.port,
                                                                                mqtt: "keepalive: 5s, client_id: plantgate-\(site)"))
        }
        let fleet = ["fleet", "--broker", "127.0.0.1:\(broker.port)", "--wait", "500ms"]

        // Both gateways up, their meter answering.
        var result: ProcessResult?
        let healthy = await eventually(timeout: .seconds(20), pollInterval: .milliseconds(250)) {
            result = try? await PlantgateBinary.run(fleet + ["--json"])
            let sites = result.map(Self.sites) ?? [:]
            return result?.exitCode == 0 && sites.count == 2
                && sites.values.allSatisfy { ($0["devices"] as? [[String: Any]])?.first?["up"] as? Bool == true }
        }
        #expect(healthy, "fleet: \(result?.standardOutput ?? "") \(result?.standardError ?? ""); logs: \(gateways.values.map(\.log))")
        let online = result.map(Self.sites) ?? [:]
        #expect(online["east"]?["online"] as? Bool == true)
        #expect(online["east"]?["state"] as? String == "online")
        #expect(online["east"]?["spool_depth"] is Int, "gateway/stats read: \(online["east"] ?? [:])")
        let table = try await PlantgateBinary.run(fleet)
        #expect(table.exitCode == 0)
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "a header and one line per site: \(table.standardOutput)")
        #expect(lines.contains { $0.hasPrefix("east") && $0.contains("online") && $0.contains("1 up") })

        // One site dies without a goodbye: the broker publishes its last will.
        await gateways["west"]?.kill()
        let offline = await eventually(timeout: .seconds(20), pollInterval: .milliseconds(250)) {
            result = try? await PlantgateBinary.run(fleet + ["--json"])
            return result.map(Self.sites)?["west"]?["state"] as? String == "offline"
        }
        #expect(offline, "fleet: \(result?.standardOutput ?? "")")
        #expect(result?.exitCode == 1)
        #expect(result.map(Self.sites)?["west"]?["online"] as? Bool == false)
        #expect(result.map(Self.sites)?["east"]?["online"] as? Bool == true)
        let afterKill = try await PlantgateBinary.run(fleet)
        #expect(afterKill.exitCode == 1)
        #expect(afterKill.standardOutput.split(separator: "\n").contains { $0.hasPrefix("west") && $0.contains("offline") })
        #expect(afterKill.standardError.contains("west: gateway offline"), "stderr: \(afterKill.standardError)")

        // The surviving site's meter stops answering: its device is down.
        meter.stop()
        let down = await eventually(timeout: .seconds(20), pollInterval: .milliseconds(250)) {
            result = try? await PlantgateBinary.run(fleet)
            return result?.standardError.contains("east: device down: pm") == true
        }
        #expect(down, "fleet: \(result?.standardOutput ?? "") \(result?.standardError ?? "")")
        #expect(result?.exitCode == 1)
        #expect(await gateways["east"]?.terminate() == 0)
    }

    @Test("no broker at the address: exit 69 with a message naming it")
    func brokerUnreachable() async throws {
        let port = try FreePort.tcp()
        let result = try await PlantgateBinary.run(["fleet", "--broker", "127.0.0.1:\(port)"], timeout: .seconds(20))
        #expect(result.exitCode == 69)
        #expect(result.standardError.contains("127.0.0.1:\(port)"), "stderr: \(result.standardError)")
    }

    @Test("credentials from --username and --password-file: a wrong password is refused (69); the right one on an empty broker finds no site (1)")
    func credentials() async throws {
        let broker = try await MosquittoBroker.start(.init(allowAnonymous: false, users: ["viewer": "s3cret"]))
        let scratch = try ScratchDirectory()
        let right = try scratch.write("right.pass", "s3cret\n")
        let wrong = try scratch.write("wrong.pass", "guess\n")
        let base = ["fleet", "--broker", "127.0.0.1:\(broker.port)", "--username", "viewer", "--wait", "200ms"]

        let refused = try await PlantgateBinary.run(base + ["--password-file", wrong], timeout: .seconds(20))
        #expect(refused.exitCode == 69, "stderr: \(refused.standardError)")
        #expect(refused.standardError.contains("refused"), "stderr: \(refused.standardError)")

        let empty = try await PlantgateBinary.run(base + ["--password-file", right])
        #expect(empty.exitCode == 1, "stderr: \(empty.standardError)")
        #expect(empty.standardError.contains("no site under plantgate/"), "stderr: \(empty.standardError)")
    }

    @Test("a bad --broker is a usage error")
    func badBroker() async throws {
        let result = try await PlantgateBinary.run(["fleet", "--broker", "central:notaport"])
        #expect(result.exitCode == 2)
        #expect(result.standardError.contains("--broker central:notaport"))
    }
}
