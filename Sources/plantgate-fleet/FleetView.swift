import Foundation
import PlantModel

/// Every site under one topic prefix, built from the messages `plantgate fleet` receives.
///
/// Understands `{prefix}/{site}/status`, `…/devices/{device}/health`, `…/gateway/stats`,
/// `…/lines/{line}/periods/{period}` and the bridge notification `{prefix}/_bridge/{site}`.
struct FleetView: Sendable {
    /// The topic filters to subscribe to.
    static func filters(prefix: String) -> [String] {
        let everySite = MQTTTopics(prefix: prefix, site: "+")
        return [everySite.status, everySite.health(device: "+"), everySite.stats,
                everySite.period(line: "+", period: "+"), everySite.bridgeNotification]
    }

    let prefix: String
    private(set) var sites: [String: FleetSite] = [:]

    init(prefix: String) { self.prefix = prefix }

    /// Sites in name order.
    var sorted: [FleetSite] { sites.keys.sorted().compactMap { sites[$0] } }

    /// Takes one message; `retained` says it came from the broker's store, `receivedAt` is this machine's clock.
    mutating func ingest(topic: String, payload: [UInt8], retained: Bool, receivedAt: Date) {
        guard topic.hasPrefix(prefix + "/") else { return }
        let levels = topic.dropFirst(prefix.count + 1).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard levels.count >= 2 else { return }
        let text = String(decoding: payload, as: UTF8.self)
        if levels[0] == "_bridge", levels.count == 2 {
            update(levels[1]) { $0.bridgeUp = text.trimmingCharacters(in: .whitespacesAndNewlines) == "1" }
            return
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any] ?? [:]
        switch Array(levels.dropFirst()) {
        case ["status"]:
            update(levels[0]) { site in
                site.state = object["state"] as? String
                site.version = object["version"] as? String
                site.started = object["started"] as? String
            }
        case let rest where rest.count == 3 && rest[0] == "devices" && rest[2] == "health":
            update(levels[0]) { site in
                let device = FleetSite.Device(id: rest[1], up: object["up"] as? Bool ?? false, lastError: object["last_error"] as? String)
                site.devices.removeAll { $0.id == device.id }
                site.devices.append(device)
                site.devices.sort { $0.id < $1.id }
            }
        case ["gateway", "stats"]:
            update(levels[0]) { site in
                site.spoolDepth = object["spool_depth"] as? Int
                site.mqttConnected = object["mqtt_connected"] as? Bool
                site.simulatedClock = object["simulated_clock_speed"] != nil
                let time = object["t"] as? String
                site.lastReport = time
                if !retained, let time, let reported = Self.date(time) {
                    site.clockOffsetSeconds = reported.timeIntervalSince(receivedAt)
                }
            }
        case let rest where rest.count == 4 && rest[0] == "lines" && rest[2] == "periods":
            guard let end = object["end"] as? String else { return }
            update(levels[0]) { site in
                if let known = site.lastPeriod, known.end > end { return }
                site.lastPeriod = FleetSite.PeriodRecord(line: rest[1], period: rest[3], end: end, seq: object["seq"] as? Int)
            }
        default:
            return
        }
    }

    private mutating func update(_ site: String, _ change: (inout FleetSite) -> Void) {
        var entry = sites[site] ?? FleetSite(site: site)
        change(&entry)
        sites[site] = entry
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
