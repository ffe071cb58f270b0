import ControlProtocol
import PlantgateConsole

/// `plantgate status` as a page that fits an 80×24 terminal: the daemon, the broker, buses, devices and
/// each line's key metrics (the example plant with 7 meters takes 23 lines); `all` adds the device
/// counters and every metric.
struct StatusRendering {
    var report: StatusReport
    var terminal: Terminal
    /// Columns to fit; nil: no cutting (a pipe or file).
    var width: Int?
    var all = false

    func render() -> String {
        var out: [String] = []
        let daemon = " (pid \(report.pid)), site \(report.site), up " + ValueText.span(report.uptimeSeconds) + " since \(report.startedAt)"
        out.append(terminal.paint("plantgated \(report.version)", .bold) + fit(daemon, room: 11 + report.version.count))
        let age = report.configAgeSeconds.map { ", changed " + ValueText.span($0) + " ago" } ?? ""
        let details = " (revision \(report.configRevision)\(age))"
        // A long path loses its beginning, not the revision: the file name is what tells configs apart.
        out.append("config " + Self.keepingEnd(report.configPath, width.map { $0 - 7 - details.count }) + details)
        let broker = report.broker
        let brokerState = broker.connected ? terminal.paint("connected", .good) : terminal.paint("disconnected", .bad)
        let counts = fit(", spool \(broker.spoolDepth) on disk + \(broker.memoryDepth) in memory, dropped \(broker.dropped), published \(broker.published)",
                         room: 9 + broker.endpoint.count + (broker.connected ? 9 : 12))
        out.append("broker \(broker.endpoint): \(brokerState)" + counts)
        if let error = broker.lastError { out.append(fit("  last error: \(error)")) }
        if let sparkplug = report.sparkplug {
            out.append(terminal.paint(fit(sparkplug.summary), sparkplug.born && sparkplug.primaryHostOnline != false ? .plain : .warning))
        }

        out.append("")
        var buses = TextTable(headers: ["BUS", "ENDPOINT", "STATE", "RECONNECTS", "UTIL"], alignments: [.left, .left, .left, .right, .right])
        for bus in report.buses {
            let state = bus.connected ? "up" : "down"
            buses.append([TextTable.Cell(bus.id), TextTable.Cell(bus.endpoint), TextTable.Cell(state, QualityStyle.style(state)),
                          TextTable.Cell("\(bus.reconnects)"), TextTable.Cell(ValueText.percent(bus.utilisation), bus.utilisation > 0.8 ? .warning : .plain)])
        }
        out.append(buses.render(on: terminal, width: width))
        for bus in report.buses where !bus.connected {
            guard let error = bus.lastError else { continue }
            out.append(terminal.paint(fit("bus \(bus.id) cannot connect\(bus.lastErrorAt.map { " (at \($0))" } ?? ""): \(error)"), .bad))
        }
        out.append(deviceTable().render(on: terminal, width: width))
        for device in report.devices {
            guard let error = device.lastError, all || !device.up else { continue }
            let when = device.lastErrorAt.map { " at \($0)" } ?? ""
            // Current (counted in the last minute) or from earlier in the run: a technician must tell them apart.
            let current = !(device.errorsLastMinute ?? [:]).isEmpty
            let label = switch (device.up, current) {
            case (false, true): "down, error now"
            case (false, false): "down, last error"
            case (true, true): "error now"
            case (true, false): "last error (none in the last minute)"
            }
            out.append(terminal.paint(fit("\(device.id): \(label)\(when): \(error)"), device.up && !current ? .warning : .bad))
        }

        for line in report.lines {
            let grouping = MetricGrouping(line.metrics, all: all)
            out.append("")
            let shown = grouping.rows.count < grouping.total ? ": \(grouping.rows.count) of \(grouping.total) metrics (all: plantgate status --all)" : ""
            out.append(terminal.paint("line \(line.id)", .bold) + shown)
            if !grouping.rows.isEmpty { out.append(grouping.table().render(on: terminal, width: width)) }
        }
        return out.joined(separator: "\n")
    }

    /// `timeout 3, refused 1`, by class name.
    static func counts(_ errors: [String: Int]) -> String {
        errors.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    private func deviceTable() -> TextTable {
        // Errors of the last minute apart from those since start: a problem now, or one an hour ago.
        var headers = ["DEVICE", "BUS", "UNIT", "STATE", "LAST GOOD", "ERRORS NOW", "SINCE START", "P99"]
        var alignments: [TextTable.Alignment] = [.left, .left, .right, .left, .left, .left, .left, .right]
        if all {
            headers += ["P50", "REQUESTS", "OVERRUNS"]
            alignments += [.right, .right, .right]
        }
        var devices = TextTable(headers: headers, alignments: alignments)
        for device in report.devices {
            let state = device.up ? "up" : "down"
            let errors = Self.counts(device.errors)
            let recent = Self.counts(device.errorsLastMinute ?? [:])
            // The time of day is enough on a status page; --all shows the whole timestamp.
            let lastGood = device.lastGoodPoll.map { all ? $0 : Self.timeOfDay($0) } ?? "never"
            var row = [TextTable.Cell(device.id), TextTable.Cell(device.bus), TextTable.Cell("\(device.unit)"),
                       TextTable.Cell(state, QualityStyle.style(state)), TextTable.Cell(lastGood),
                       TextTable.Cell(recent.isEmpty ? "-" : recent, recent.isEmpty ? .plain : .bad),
                       TextTable.Cell(errors.isEmpty ? "-" : errors, errors.isEmpty ? .plain : .warning),
                       TextTable.Cell(ValueText.milliseconds(device.latencyP99Ms))]
            if all {
                row += [TextTable.Cell(ValueText.milliseconds(device.latencyP50Ms)), TextTable.Cell("\(device.requests)"), TextTable.Cell("\(device.overruns)")]
            }
            devices.append(row)
        }
        return devices
    }

    /// `text` cut to the width left after `room` characters already on the line.
    private func fit(_ text: String, room: Int = 0) -> String {
        guard let width, room + text.count > width else { return text }
        return String(text.prefix(max(0, width - room - 1))) + "…"
    }

    /// `path` in at most `limit` characters, `…` standing for its beginning.
    static func keepingEnd(_ path: String, _ limit: Int?) -> String {
        guard let limit, path.count > limit else { return path }
        return "…" + String(path.suffix(max(1, limit - 1)))
    }

    /// `2025-03-01T10:00:00.250Z` → `10:00:00Z` (UTC, to the second).
    static func timeOfDay(_ timestamp: String) -> String {
        guard let t = timestamp.firstIndex(of: "T") else { return timestamp }
        let time = timestamp[timestamp.index(after: t)...]
        guard let dot = time.firstIndex(of: ".") else { return String(time) }
        return String(time[..<dot]) + (time.hasSuffix("Z") ? "Z" : "")
    }
}
