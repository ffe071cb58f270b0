import Foundation
import Testing
@testable import PlantModel

/// `mqtt.reconnect: {min, max}` is read, checked with file:line errors, and dumped back.
@Suite struct ReconnectConfigTests {
    @Test func defaultsCapTheBackOffAtFiveSeconds() throws {
        let config = try ConfigLoader.load(yaml: OutboxConfigTests.yaml("  host: 127.0.0.1")).get().config
        #expect(config.mqtt.reconnect.min == .seconds(1))
        #expect(config.mqtt.reconnect.max == .seconds(5))
    }

    @Test func bothBoundsAreRead() throws {
        let config = try ConfigLoader.load(yaml: OutboxConfigTests.yaml("  reconnect: {min: 250ms, max: 2s}")).get().config
        #expect(config.mqtt.reconnect.min == .milliseconds(250))
        #expect(config.mqtt.reconnect.max == .seconds(2))
        let dumped = try ConfigDumper.dump(config)
        #expect(dumped.contains("min: 250ms") && dumped.contains("max: 2s"), "\(dumped)")
    }

    @Test func unusableBoundsAreNamedWithTheirPlace() {
        let inverted = OutboxConfigTests.errors("  reconnect: {min: 10s, max: 2s}")
        #expect(inverted.contains("site.yaml:3") && inverted.contains("max (2s) is shorter than min (10s)"), "\(inverted)")
        let tiny = OutboxConfigTests.errors("  reconnect: {min: 10ms}")
        #expect(tiny.contains("mqtt.reconnect.min") && tiny.contains("at least 100ms"), "\(tiny)")
        let huge = OutboxConfigTests.errors("  reconnect: {max: 1h}")
        #expect(huge.contains("at most 5m"), "\(huge)")
        let typo = OutboxConfigTests.errors("  reconnect: {minimum: 1s}")
        #expect(typo.contains("minimum"), "\(typo)")
    }
}
