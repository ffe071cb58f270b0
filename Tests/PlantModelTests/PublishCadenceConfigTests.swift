import Foundation
import Testing
@testable import PlantModel

/// `mqtt.publish.live_interval` and `to_date_interval`: defaults, read, dumped back, and refused below a second.
@Suite struct PublishCadenceConfigTests {
    @Test func defaultsAreFiveAndTenSeconds() throws {
        let publish = try ConfigLoader.load(yaml: OutboxConfigTests.yaml("  host: 127.0.0.1")).get().config.mqtt.publish
        #expect(publish.liveInterval == .seconds(5) && publish.toDateInterval == .seconds(10))
    }

    @Test func setIntervalsAreReadAndSurviveADump() throws {
        let first = try ConfigLoader.load(yaml: OutboxConfigTests.yaml("  publish: {live_interval: 1s, to_date_interval: 1m}")).get().config
        #expect(first.mqtt.publish.liveInterval == .seconds(1) && first.mqtt.publish.toDateInterval == .seconds(60))
        let second = try ConfigLoader.load(yaml: try ConfigDumper.dump(first), file: "dumped.yaml").get().config
        #expect(second.mqtt.publish == first.mqtt.publish)
    }

    @Test(arguments: [
        ("  publish: {to_date_interval: 500ms}",
         "site.yaml:3: mqtt.publish.to_date_interval: period-to-date totals more often than every second only load the broker; use 1s or more (default 10s)"),
        ("  publish: {live_interval: 100ms}",
         "site.yaml:3: mqtt.publish.live_interval: live metrics more often than every second only load the broker; use 1s or more (default 5s)"),
        ("  publish: {to_date_interval: 0s}", "site.yaml:3: mqtt.publish.to_date_interval: interval must be > 0"),
    ])
    func tooFastIsRefusedWithTheLineAndTheFix(mqtt: String, expected: String) {
        let text = OutboxConfigTests.errors(mqtt)
        #expect(text.contains(expected), "\(text)")
    }
}
