import Foundation
import Modbus
import Testing
import TestSupport

/// `plantgate status` and `watch` against a real, running plantgated (not a fake socket).
@Suite("plantgate status and watch against a running plantgated", .serialized)
struct LiveDaemonTests {
    @Test func statusAndWatchShowWhatTheDaemonPolls() async throws {
        let gateway = try await GatewayHarness.start()
        let meter = try ModbusTCPServer(port: 0, handler: TestDevice(units: [1], registers: [100: 0x43CE, 101: 0x6000]))
        meter.start()
        defer { meter.stop() }
        let daemon = try gateway.startDaemon(config: LiveGateway.config(site: "live", brokerPort: gateway.broker.port, meterPort: meter.port))
        let socket = gateway.controlSocket

        var report: [String: Any] = [:]
        let up = await eventually(timeout: .seconds(15)) {
            guard let result = try? await PlantgateBinary.run(["status", "--socket", socket, "--json"]), result.exitCode == 0,
                  let object = try? PlantgateBinary.json(result) as? [String: Any] else { return false }
            report = object
            return true
        }
        #expect(up, "log: \(daemon.log)")
        let devices = try #require(report["devices"] as? [[String: Any]])
        #expect(devices.first?["id"] as? String == "pm")
        #expect(devices.first?["up"] as? Bool == true)
        #expect((report["broker"] as? [String: Any])?["connected"] as? Bool == true)
        // Machine output: snake_case keys as on the health topic, in sorted order, the revision in 16 hex digits.
        let json = try await PlantgateBinary.run(["status", "--socket", socket, "--json"])
        let keys = Self.topLevelKeys(json.standardOutput)
        #expect(keys == keys.sorted() && keys.contains("config_revision") && keys.contains("uptime_seconds"), "\(keys)")
        #expect(keys.allSatisfy { $0 == $0.lowercased() })
        #expect((report["config_revision"] as? String).map { $0.count == 16 && $0.allSatisfy(\.isHexDigit) } == true)
        #expect(devices.first?["last_poll"] is String && devices.first?["latency_p99_ms"] is Double)

        let table = try await PlantgateBinary.run(["status", "--socket", socket])
        #expect(table.exitCode == 0)
        #expect(table.standardOutput.contains("pm"))
        #expect(table.standardOutput.contains("mcc"))

        let watch = try await PlantgateBinary.run(["watch", "--socket", socket, "--device", "pm", "--count", "1"])
        #expect(watch.exitCode == 0)
        #expect(watch.standardOutput.contains("pm/power"))
        #expect(watch.standardOutput.contains("412.75"))

        // The meter goes away: status reports the finding with exit 1 once the device is down.
        meter.stop()
        let down = await eventually(timeout: .seconds(15)) {
            (try? await PlantgateBinary.run(["status", "--socket", socket]))?.exitCode == 1
        }
        #expect(down)
        #expect(await daemon.terminate() == 0)
        let gone = try await PlantgateBinary.run(["status", "--socket", socket])
        #expect(gone.exitCode == 69)
    }

    /// The keys of a one-line JSON object's top level, in the order written.
    static func topLevelKeys(_ line: String) -> [String] {
        var keys: [String] = [], depth = 0, inString = false, escaped = false, current = "", afterKey = false
        for character in line {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false; afterKey = depth == 1 } else { current.append(character) }
                continue
            }
            switch character {
            case "\"": inString = true; current = ""
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            case ":": if afterKey { keys.append(current) }; afterKey = false
            default: if !character.isWhitespace { afterKey = false }
            }
        }
        return keys
    }
}
