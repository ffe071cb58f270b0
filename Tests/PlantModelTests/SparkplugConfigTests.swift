import Foundation
import Testing
@testable import PlantModel

/// `mqtt.sparkplug:` is read with its defaults and written back by the dumper unchanged.
@Suite struct SparkplugConfigTests {
    static let yaml = """
    site: {id: test-site, time_zone: UTC}
    mqtt:
      sparkplug: {group_id: kz1-lioh, edge_node_id: plantgate-kz1, primary_host_id: scada-1, mode: instead}
    buses:
      - {id: mcc, tcp: {host: 127.0.0.1, port: 1502}}
    devices:
      - id: pm-main
        bus: mcc
        unit: 1
        interval: 1s
        tags:
          energy: {register: "holding:3203", type: int64, unit: Wh, kind: counter}
    """

    @Test func sectionIsReadWithEveryKey() throws {
        let config = try ConfigLoader.load(yaml: Self.yaml).get().config
        #expect(config.mqtt.sparkplug == SparkplugConfig(groupID: "kz1-lioh", edgeNodeID: "plantgate-kz1", primaryHostID: "scada-1", mode: .instead))
    }

    @Test func modeDefaultsToAlongsideAndHostToNone() throws {
        let yaml = Self.yaml.replacingOccurrences(of: ", primary_host_id: scada-1, mode: instead", with: "")
        let sparkplug = try #require(try ConfigLoader.load(yaml: yaml).get().config.mqtt.sparkplug)
        #expect(sparkplug.mode == .alongside)
        #expect(sparkplug.primaryHostID == nil)
    }

    @Test func withoutTheSectionThereIsNoEdgeNode() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "mqtt:\n  sparkplug: {group_id: kz1-lioh, edge_node_id: plantgate-kz1, primary_host_id: scada-1, mode: instead}\n", with: "")
        #expect(try ConfigLoader.load(yaml: yaml).get().config.mqtt.sparkplug == nil)
    }

    @Test func dumpThenLoadKeepsTheSection() throws {
        let first = try ConfigLoader.load(yaml: Self.yaml).get().config
        let second = try ConfigLoader.load(yaml: try ConfigDumper.dump(first), file: "dumped.yaml").get().config
        #expect(second.mqtt.sparkplug == first.mqtt.sparkplug)
        #expect(second.mqtt.sparkplug != nil)
    }

    @Test func hashInAnIdIsRefused() {
        let yaml = Self.yaml.replacingOccurrences(of: "edge_node_id: plantgate-kz1", with: #"edge_node_id: "gw#1""#)
        guard case .failure(let diagnostics) = ConfigLoader.load(yaml: yaml) else {
            Issue.record("an edge node id with # was accepted")
            return
        }
        #expect(diagnostics.description.contains("mqtt.sparkplug.edge_node_id: \"gw#1\" is not a valid Sparkplug id: it contains '#'"))
    }
}
