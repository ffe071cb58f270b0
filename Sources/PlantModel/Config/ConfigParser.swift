import Foundation
import Yams

/// Turns a composed YAML tree into a `PlantConfig`, reporting every structural problem (unknown keys,
/// wrong types, missing fields, bad values) with file:line and key path.
struct ConfigParser {
    let reader: ConfigReader

    static let topKeys = ["site", "mqtt", "buses", "devices", "lines", "factors", "state_dir", "control_socket", "log_level", "report"]

    func parse(_ root: Node) -> PlantConfig? {
        guard let top = reader.mapping(root, "", allowed: Self.topKeys) else { return nil }
        let site = top.required("site", example: "{id: my-site, time_zone: UTC}").flatMap(parseSite)
        var config = PlantConfig(site: site ?? SiteConfig(id: "?"))
        if let node = top["mqtt"] { config.mqtt = parseMQTT(node, "mqtt") ?? config.mqtt }
        if let node = top.required("buses", example: "[{id: mcc, tcp: {host: 127.0.0.1, port: 502}}]") {
            (config.buses, reader.damage.busPaths) = entries(node, "buses", kind: "bus", parse: parseBus)
        } else {
            reader.damage.markBroken("bus", nil)
        }
        if let node = top.required("devices", example: "[{id: pm-main, bus: mcc, unit: 1, profile: schneider-pm5xxx}]") {
            (config.devices, reader.damage.devicePaths) = entries(node, "devices", kind: "device", parse: parseDevice)
        } else {
            reader.damage.markBroken("device", nil)
        }
        if let node = top["lines"] {
            (config.lines, reader.damage.linePaths) = entries(node, "lines", kind: "line", parse: parseLine)
        }
        if let node = top["factors"] {
            if let factors = parseFactors(node, "factors") { config.factors = factors } else { reader.damage.markBroken("fuel", nil) }
        }
        if let node = top["report"] { config.report = parseReport(node, "report", lineIDs: config.lines.map(\.id)) }
        if let value = top.string("state_dir") { config.stateDirectory = absolutePath(value, top, "state_dir") }
        if let value = top.string("control_socket") {
            config.controlSocket = absolutePath(value, top, "control_socket")
            // sockaddr_un holds 107 bytes and a NUL: the daemon runs, but status and watch cannot reach it.
            if value.utf8.count > 107 {
                reader.warning(line: ConfigReader.line(top["control_socket"]), "control_socket", "the path is \(value.utf8.count) bytes; a Unix socket path holds at most 107, so plantgate status and watch could not reach the daemon — choose a shorter path")
            }
        }
        if let value = top.choice("log_level", what: "log level", from: LogLevel.allCases.map(\.rawValue)) {
            config.logLevel = LogLevel(rawValue: value) ?? .info
        }
        return config
    }

    /// Parses each entry of a list section, keeping the written path of each entry that parsed (a dropped
    /// entry must not shift the paths after it) and marking the id of each that did not as broken.
    func entries<T>(_ node: Node, _ section: String, kind: String, parse: (Node, String) -> T?) -> ([T], [String]) {
        guard let items = reader.sequence(node, section) else {
            reader.damage.markBroken(kind, nil)
            return ([], [])
        }
        var values: [T] = [], paths: [String] = []
        for (item, path) in items {
            if let value = parse(item, path) {
                values.append(value)
                paths.append(path)
            } else {
                reader.damage.markBroken(kind, ParseDamage.rawID(of: item))
            }
        }
        return (values, paths)
    }

    func absolutePath(_ value: String, _ fields: Fields, _ key: String) -> String {
        if !value.hasPrefix("/") {
            reader.error(fields[key], fields.path(key), "\"\(value)\" is not an absolute path; start it with /")
        }
        return value
    }

    func parseSite(_ node: Node) -> SiteConfig? {
        guard let fields = reader.mapping(node, "site", allowed: ["id", "time_zone", "shifts", "demand_interval"]) else { return nil }
        guard let id = fields.requiredString("id", example: "kz-lioh") else { return nil }
        var site = SiteConfig(id: id)
        checkIdentifier(id, fields["id"], fields.path("id"))
        if let zone = fields.string("time_zone") {
            if TimeZone(identifier: zone) == nil {
                let hint = Suggestion.hint(for: zone, in: TimeZone.knownTimeZoneIdentifiers)
                reader.error(fields["time_zone"], fields.path("time_zone"), "unknown time zone \"\(zone)\"" + (hint.isEmpty ? "; use an IANA name such as Asia/Almaty or Europe/Berlin" : hint))
            }
            site.timeZone = zone
        }
        if let node = fields["shifts"], let items = reader.sequence(node, fields.path("shifts")) {
            site.shiftStarts = items.compactMap { item, path in
                guard let text = reader.string(item, path) else { return nil }
                let parts = text.split(separator: ":")
                guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
                      (0..<24).contains(hours), (0..<60).contains(minutes) else {
                    reader.error(item, path, "expected a local time \"HH:MM\", found \"\(text.prefix(20))\"")
                    return nil
                }
                return hours * 60 + minutes
            }
            if site.shiftStarts != site.shiftStarts.sorted() || Set(site.shiftStarts).count != site.shiftStarts.count {
                reader.error(node, fields.path("shifts"), "shift starts must be distinct and ascending, e.g. [\"08:00\", \"20:00\"]")
            }
        }
        if let interval = fields.duration("demand_interval") {
            if ![15, 30, 60].map({ Duration.seconds($0 * 60) }).contains(interval) {
                reader.error(fields["demand_interval"], fields.path("demand_interval"), "demand interval must be 15m, 30m or 60m")
            }
            site.demandInterval = interval
        }
        return site
    }

    /// Ids become MQTT topic levels and file names: refuse characters that would break either.
    func checkIdentifier(_ id: String, _ node: Node?, _ path: String) {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        if id.isEmpty || id.unicodeScalars.contains(where: { !allowed.contains($0) }) {
            reader.error(node, path, "\"\(id.prefix(40))\" is not a valid id; use letters, digits, '-', '_' or '.' (no '/', '+', '#' or spaces: ids become MQTT topic levels)")
        }
    }
}
