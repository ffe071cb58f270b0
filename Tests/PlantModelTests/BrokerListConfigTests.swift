import Foundation
import Testing
@testable import PlantModel

/// `mqtt.hosts: ["a:1883", "b:1883"]` (broker failover) and `mqtt.prefer_first:` are read, checked with
/// file:line errors, and dumped back.
@Suite struct BrokerListConfigTests {
    @Test func listIsReadInOrderWithTheMQTTDefaultPort() throws {
        let config = try ConfigLoader.load(yaml: OutboxConfigTests.yaml(#"  hosts: ["a.example:8883", "[::1]:1884", "10.0.0.5"]"#)).get().config
        #expect(config.mqtt.brokers.map(\.description) == ["a.example:8883", "[::1]:1884", "10.0.0.5:1883"])
        #expect(config.mqtt.preferFirst)
        #expect(config.mqtt.host == "a.example" && config.mqtt.port == 8883)
    }

    @Test func tlsMakesTheDefaultPort8883() throws {
        let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("broker-list-ca-\(getpid()).pem")
        try Data("not read by the parser".utf8).write(to: caFile)
        defer { try? FileManager.default.removeItem(at: caFile) }
        let config = try ConfigLoader.load(yaml: OutboxConfigTests.yaml("""
              hosts: [a.example, b.example]
              tls: {ca_file: \(caFile.path)}
            """)).get().config
        #expect(config.mqtt.brokers.map(\.port) == [8883, 8883])
    }

    @Test func withoutAListTheSingleHostIsTheOnlyBroker() throws {
        let config = try ConfigLoader.load(yaml: OutboxConfigTests.yaml("  host: 192.0.2.7\n  port: 1884")).get().config
        #expect(config.mqtt.hosts.isEmpty)
        #expect(config.mqtt.brokers.map(\.description) == ["192.0.2.7:1884"])
        #expect(!(try ConfigDumper.dump(config)).contains("hosts"))
    }

    @Test func dumpThenLoadKeepsTheListAndPreference() throws {
        let first = try ConfigLoader.load(yaml: OutboxConfigTests.yaml("""
              hosts: ["a.example:8883", "[fd00::5]:1883"]
              prefer_first: false
            """)).get().config
        #expect(!first.mqtt.preferFirst)
        let dumped = try ConfigDumper.dump(first)
        let mqttSection = dumped.components(separatedBy: "buses:")[0]
        #expect(mqttSection.contains("hosts:") && !mqttSection.contains("host:") && !mqttSection.contains("port:"), "\(dumped)")
        let second = try ConfigLoader.load(yaml: dumped, file: "dumped.yaml").get().config
        #expect(second.mqtt == first.mqtt)
    }

    @Test func hostsBesideHostOrPortIsRefusedWithItsPlaceAndFix() {
        let both = OutboxConfigTests.errors("  host: 127.0.0.1\n  hosts: [\"a:1883\"]")
        #expect(both.contains("site.yaml:3") && both.contains("`host:` and `hosts:` both name the broker") && both.contains("keep `hosts:`"), "\(both)")
        let port = OutboxConfigTests.errors("  port: 1884\n  hosts: [\"a:1883\"]")
        #expect(port.contains("site.yaml:3") && port.contains("`port:` and `hosts:`"), "\(port)")
    }

    @Test func badListsAreNamedWithTheirPlace() {
        let empty = OutboxConfigTests.errors("  hosts: []")
        #expect(empty.contains("site.yaml:3") && empty.contains("the broker list is empty"), "\(empty)")
        let bad = OutboxConfigTests.errors(#"  hosts: ["a:1883", "b:99999"]"#)
        #expect(bad.contains("mqtt.hosts[1]") && bad.contains("\"b:99999\" is not a broker"), "\(bad)")
        let twice = OutboxConfigTests.errors(#"  hosts: ["a:1883", "a:1883"]"#)
        #expect(twice.contains("mqtt.hosts[1]") && twice.contains("listed twice"), "\(twice)")
        let notList = OutboxConfigTests.errors("  hosts: a:1883")
        #expect(notList.contains("mqtt.hosts") && notList.contains("expected a list"), "\(notList)")
        let lonely = OutboxConfigTests.errors("  host: a\n  prefer_first: false")
        #expect(lonely.contains("site.yaml:4") && lonely.contains("prefer_first only applies to a list"), "\(lonely)")
    }
}
