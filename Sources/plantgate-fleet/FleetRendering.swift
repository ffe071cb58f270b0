import Foundation
import PlantgateConsole

/// `plantgate fleet`'s table: one line per site.
struct FleetRendering {
    let sites: [FleetSite]
    let terminal: Terminal

    func render() -> String {
        var table = TextTable(headers: ["SITE", "STATE", "SINCE", "DEVICES", "SPOOL", "LAST PERIOD", "CLOCK"],
                              alignments: [.left, .left, .left, .left, .right, .left, .right])
        for site in sites {
            let down = site.devicesDown
            let state: TextTable.Cell = site.isOnline ? TextTable.Cell("online", .good)
                : TextTable.Cell(site.bridgeUp == false && site.state == "online" ? "cut off" : (site.state ?? "unknown"), .bad)
            // Online: since the gateway's run started. Otherwise: the last time it reported.
            let since = site.isOnline ? site.started : site.lastReport
            var devices: TextTable.Cell = site.devices.isEmpty ? TextTable.Cell("-", .dim)
                : down.isEmpty ? TextTable.Cell("\(site.devices.count) up", .good)
                : TextTable.Cell("\(site.devices.count - down.count) up, \(down.count) down (\(down.joined(separator: ", ")))", .bad)
            // A gateway that is gone cannot update its retained health: say it is old news.
            if !site.isOnline, !site.devices.isEmpty { devices = TextTable.Cell(devices.text + " when last seen", .dim) }
            let period = site.lastPeriod.map { "\($0.line) \($0.period) to \($0.end)\($0.seq.map { " #\($0)" } ?? "")" } ?? "-"
            table.append([
                TextTable.Cell(site.site, .bold), state, TextTable.Cell(since ?? "-"), devices,
                TextTable.Cell(site.spoolDepth.map(String.init) ?? "-", (site.spoolDepth ?? 0) > 0 ? .warning : .plain),
                TextTable.Cell(period, site.lastPeriod == nil ? .dim : .plain), TextTable.Cell(Self.clock(site)),
            ])
        }
        return table.render(on: terminal)
    }

    static func clock(_ site: FleetSite) -> String {
        if site.simulatedClock { return "simulated" }
        guard let offset = site.clockOffsetSeconds else { return "-" }
        let tenths = (offset * 10).rounded() / 10
        return tenths == 0 ? "0.0 s" : String(format: "%+.1f s", tenths)
    }
}
