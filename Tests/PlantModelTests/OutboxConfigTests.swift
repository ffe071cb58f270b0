import Foundation
import Testing
@testable import PlantModel

/// `mqtt.outbox:` and `mqtt.publish.provenance` are read, checked with file:line errors, and dumped back.
@Suite struct OutboxConfigTests {
    static func yaml(_ mqtt: String) -> String {
        """
        site: {id: test-site, time_zone: UTC}
        mqtt:
        \(mqtt)
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
    }

    static func errors(_ mqtt: String) -> String {
        guard case .failure(let diagnostics) = ConfigLoader.load(yaml: yaml(mqtt), file: "site.yaml") else { return "" }
        return diagnostics.description
    }

    @Test func everyBoundIsRead() throws {
        let config = try ConfigLoader.load(yaml: Self.yaml("""
              outbox: {max_bytes: 64MB, max_age: 48h, queue_capacity: 5000, offline_raw_capacity: 0, inflight_window: 16}
            """)).get().config
        #expect(config.mqtt.outbox == OutboxConfig(maxBytes: 64 << 20, maxAge: .seconds(2 * 86_400), queueCapacity: 5000,
                                                   offlineRawCapacity: 0, inflightWindow: 16))
    }

    @Test func leftOutKeysStayUnset() throws {
        let absent = try ConfigLoader.load(yaml: Self.yaml("  host: 127.0.0.1")).get().config
        #expect(absent.mqtt.outbox == OutboxConfig())
        let partial = try ConfigLoader.load(yaml: Self.yaml("  outbox: {max_bytes: 1048576}")).get().config
        #expect(partial.mqtt.outbox == OutboxConfig(maxBytes: 1 << 20))
    }

    @Test(arguments: [("4KB", 4096), ("256 MB", 256 << 20), ("1GiB", 1 << 30), ("300000", 300_000), ("8kb", 8192)])
    func sizesWithUnits(text: String, bytes: Int) throws {
        let config = try ConfigLoader.load(yaml: Self.yaml("  outbox: {max_bytes: \"\(text)\"}")).get().config
        #expect(config.mqtt.outbox.maxBytes == bytes)
    }

    @Test(arguments: [
        ("  outbox: {max_bytes: 12 parsecs}", "site.yaml:3: mqtt.outbox.max_bytes: expected a size of at least 4KB"),
        ("  outbox: {max_bytes: 100}", "such as 256MB or 268435456 (bytes), found \"100\""),
        ("  outbox: {inflight_window: 0}", "site.yaml:3: mqtt.outbox.inflight_window"),
        ("  outbox: {queue_capacity: 10}", "site.yaml:3: mqtt.outbox.queue_capacity"),
        ("  outbox: {max_age: -5s}", "site.yaml:3: mqtt.outbox.max_age"),
        ("  outbox: {spool_max_bytes: 1MB}", "site.yaml:3: mqtt.outbox"),
    ])
    func badValuesNameTheLineAndTheFix(mqtt: String, expected: String) {
        let text = Self.errors(mqtt)
        #expect(text.contains(expected), "\(text)")
    }

    @Test func provenanceIsOffUnlessAsked() throws {
        #expect(try ConfigLoader.load(yaml: Self.yaml("  host: 127.0.0.1")).get().config.mqtt.publish.provenance == false)
        let on = try ConfigLoader.load(yaml: Self.yaml("  publish: {provenance: true}")).get()
        #expect(on.config.mqtt.publish.provenance)
        #expect(on.plan.mqtt.publish.provenance)
    }

    @Test func planCarriesTheRevisionOfItsText() throws {
        let text = Self.yaml("  host: 127.0.0.1")
        let plan = try ConfigLoader.load(yaml: text).get().plan
        #expect(plan.revision == SourceRevision.of(text: text))
        #expect(plan.revision != SourceRevision.of(text: text + "\n# changed"))
    }

    @Test func dumpThenLoadKeepsTheBoundsAndProvenance() throws {
        let first = try ConfigLoader.load(yaml: Self.yaml("""
              publish: {provenance: true}
              outbox: {max_bytes: 64MB, max_age: 36h, inflight_window: 8}
            """)).get().config
        let second = try ConfigLoader.load(yaml: try ConfigDumper.dump(first), file: "dumped.yaml").get().config
        #expect(second.mqtt.outbox == first.mqtt.outbox)
        #expect(second.mqtt.publish.provenance)
        #expect(second.mqtt.outbox.maxAge == .seconds(36 * 3600))
    }
}
