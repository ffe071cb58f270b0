import ControlProtocol
import Foundation
import Gateway
import Testing

/// Every field of the control protocol's answers reads back as it was written: a property whose
/// snake_case does not invert (`groupID` → `group_id` → `groupId`) broke `plantgate status` for every
/// daemon with Sparkplug on, so the round trip covers each message with every optional field set.
@Suite struct ControlCodingTests {
    static func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        try ControlProtocol.decoder().decode(T.self, from: ControlProtocol.encoder().encode(value))
    }

    @Test func aStatusReportWithEveryFieldSetReadsBackUnchanged() throws {
        var report = StatusReport(
            version: "0.2.0", pid: 42, startedAt: "2026-03-10T08:00:00.000Z", uptimeSeconds: 61.5,
            configPath: "/etc/plantgate/plantgate.yaml", configAgeSeconds: 3, configRevision: "00000000003f2a9c", site: "kz",
            broker: BrokerStatus(endpoint: "tcp://127.0.0.1:1883", connected: true, lastError: "refused", spoolDepth: 3,
                                 memoryDepth: 4, dropped: 1, published: 99),
            buses: [BusStatus(id: "mcc", endpoint: "tcp [::1]:1502", connected: false, reconnects: 2, utilisation: 0.4,
                              lastError: "connection refused", lastErrorAt: "2026-03-10T08:00:01.000Z")],
            devices: [DeviceStatus(id: "pm", bus: "mcc", unit: 1, up: false, lastGoodPoll: "2026-03-10T08:00:00.500Z", requests: 7,
                                   errors: ["timeout": 2], errorsLastMinute: ["timeout": 1], latencyP50Ms: 1.5, latencyP99Ms: 9,
                                   lastError: "no reply in time", lastErrorAt: "2026-03-10T08:00:02.000Z", overruns: 1)],
            lines: [LineStatus(id: "lioh-1", metrics: [MetricReading(id: "power_kw/1m", value: 8.5, unit: "kW", quality: "good",
                                                                      window: "1m", time: "2026-03-10T08:00:03.000Z")])])
        report.sparkplug = SparkplugStatus(groupID: "g1", edgeNodeID: "gw1", connected: true, born: true, birthDeathSequence: 3,
                                           awaitingFirstValues: false, primaryHostID: "scada-1", primaryHostOnline: true)
        #expect(try Self.roundTrip(report) == report)
        let wire = String(decoding: try ControlProtocol.encoder().encode(report), as: UTF8.self)
        #expect(wire.contains("\"group_id\":\"g1\"") && wire.contains("\"primary_host_id\":\"scada-1\"") && wire.contains("\"last_poll\""))
    }

    @Test func aValuesReportReadsBackUnchanged() throws {
        let values = ValuesReport(values: [ValuesReport.Value(path: "pm/power", value: nil, unit: "kW", quality: "bad", reason: "TIMEOUT",
                                                      ageSeconds: 4, sinceGoodSeconds: 12, time: "2026-03-10T08:00:00.000Z")],
                                  metrics: [])
        #expect(try Self.roundTrip(values) == values)
    }
}
