import Gateway

/// `plantgate status` as a readable page: the daemon, the broker, buses, devices and line metrics.
struct StatusRendering {
    var report: StatusReport
    var terminal: Terminal

    func render() -> String {
        var out: [String] = []
        out.append(terminal.paint("plantgated \(report.version)", .bold) + " (pid \(report.pid)), site \(report.site), up "
                   + NumberText.span(report.uptimeSeconds) + " since \(report.startedAt)")
        let age = report.configAgeSeconds.map { ", changed " + NumberText.span($0) + " ago" } ?? ""
        out.append("config \(report.configPath) (revision \(report.configRevision)\(age))")
        let broker = report.broker
        let brokerState = broker.connected ? terminal.paint("connected", .good) : terminal.paint("disconnected", .bad)
        out.append("broker \(broker.endpoint): \(brokerState), spool \(broker.spoolDepth) on disk + \(broker.memoryDepth) in memory, dropped \(broker.dropped), published \(broker.published)"
                   + (broker.lastError.map { ", last error: \($0)" } ?? ""))
        if let sparkplug = report.sparkplug {
            out.append(terminal.paint(sparkplug.summary, sparkplug.born && sparkplug.primaryHostOnline != false ? .plain : .warning))
        }

        out.append("")
        var buses = TextTable(headers: ["BUS", "ENDPOINT", "STATE", "RECONNECTS", "UTILISATION"],
                              alignments: [.left, .left, .left, .right, .right])
        for bus in report.buses {
            let state = bus.connected ? "up" : "down"
            buses.append([TextTable.Cell(bus.id), TextTable.Cell(bus.endpoint), TextTable.Cell(state, QualityStyle.style(state)),
                          TextTable.Cell("\(bus.reconnects)"), TextTable.Cell(NumberText.percent(bus.utilisation), bus.utilisation > 0.8 ? .warning : .plain)])
        }
        out.append(buses.render(on: terminal))
        for bus in report.buses where !bus.connected {
            guard let error = bus.lastError else { continue }
            out.append(terminal.paint("bus \(bus.id) cannot connect\(bus.lastErrorAt.map { " (at \($0))" } ?? ""): \(error)", .bad))
        }

        out.append("")
        var devices = TextTable(headers: ["DEVICE", "BUS", "UNIT", "STATE", "LAST GOOD POLL", "REQUESTS", "ERRORS LAST MIN", "ERRORS SINCE START", "P50", "P99", "OVERRUNS"],
                                alignments: [.left, .left, .right, .left, .left, .right, .left, .left, .right, .right, .right])
        for device in report.devices {
            let state = device.up ? "up" : "down"
            let errors = Self.counts(device.errors)
            let recent = Self.counts(device.errorsLastMinute ?? [:])
            devices.append([TextTable.Cell(device.id), TextTable.Cell(device.bus), TextTable.Cell("\(device.unit)"),
                            TextTable.Cell(state, QualityStyle.style(state)), TextTable.Cell(device.lastGoodPoll ?? "never"),
                            TextTable.Cell("\(device.requests)"), TextTable.Cell(recent.isEmpty ? "-" : recent, recent.isEmpty ? .plain : .bad),
                            TextTable.Cell(errors.isEmpty ? "-" : errors, errors.isEmpty ? .plain : .warning),
                            TextTable.Cell(NumberText.milliseconds(device.latencyP50Ms)), TextTable.Cell(NumberText.milliseconds(device.latencyP99Ms)),
                            TextTable.Cell("\(device.overruns)")])
        }
        out.append(devices.render(on: terminal))
        for device in report.devices {
            guard let error = device.lastError else { continue }
            let when = device.lastErrorAt.map { " at \($0)" } ?? ""
            // Current (counted in the last minute) or from earlier in the run: a technician must tell them apart.
            let current = !(device.errorsLastMinute ?? [:]).isEmpty
            let label = switch (device.up, current) {
            case (false, true): "down, error now"
            case (false, false): "down, last error"
            case (true, true): "error now"
            case (true, false): "last error (none in the last minute)"
            }
            out.append(terminal.paint("\(device.id): \(label)\(when): \(error)", device.up && !current ? .warning : .bad))
        }

        for line in report.lines {
            out.append("")
            out.append(terminal.paint("line \(line.id)", .bold))
            out.append(Self.metricTable(line.metrics).render(on: terminal))
        }
        return out.joined(separator: "\n")
    }

    /// `timeout 3, refused 1`, by class name.
    static func counts(_ errors: [String: Int]) -> String {
        errors.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// Line metrics as a table (shared with `watch`).
    static func metricTable(_ metrics: [MetricReading]) -> TextTable {
        var table = TextTable(headers: ["METRIC", "VALUE", "UNIT", "QUALITY", "WINDOW", "TIME"], alignments: [.left, .right], indent: 2)
        for metric in metrics {
            table.append([TextTable.Cell(metric.id), TextTable.Cell(NumberText.value(metric.value)), TextTable.Cell(metric.unit),
                          TextTable.Cell(metric.quality, QualityStyle.style(metric.quality)), TextTable.Cell(metric.window ?? "-"),
                          TextTable.Cell(metric.time)])
        }
        return table
    }
}
