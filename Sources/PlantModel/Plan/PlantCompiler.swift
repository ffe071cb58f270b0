/// Checks a `PlantConfig` as a whole (references, overlaps, units, topics, bus load) and builds the
/// `PlantPlan`. Every finding carries the line from the `SourceMap` when the config came from a file.
struct PlantCompiler {
    let config: PlantConfig
    let source: SourceMap
    /// What failed to parse: its follow-on findings are not reported again.
    let damage: ParseDamage
    var errors: [ConfigDiagnostic] = []
    var warnings: [ConfigDiagnostic] = []
    var tags: [TagDefinition] = []
    /// Config path of each tag, for messages.
    var tagPaths: [String] = []

    init(config: PlantConfig, source: SourceMap, damage: ParseDamage = ParseDamage()) {
        self.config = config
        self.source = source
        self.damage = damage
    }

    /// The written path of the `index`th parsed entry of a list section.
    func path(_ section: String, _ index: Int) -> String {
        let written = switch section {
        case "buses": damage.busPaths
        case "devices": damage.devicePaths
        default: damage.linePaths
        }
        return index < written.count ? written[index] : "\(section)[\(index)]"
    }

    mutating func error(_ path: String, _ message: String) {
        guard !damage.explains(path) else { return }
        errors.append(ConfigDiagnostic(file: source.file, line: source.line(of: path), path: path, message: message))
    }

    mutating func warning(_ path: String, _ message: String) {
        warnings.append(ConfigDiagnostic(severity: .warning, file: source.file, line: source.line(of: path), path: path, message: message))
    }

    /// Reports each repeated id once and returns the indices of the repeats, which the other checks skip
    /// (their tags would otherwise collide with the first one's, a second report of the same mistake).
    @discardableResult
    mutating func checkUniqueIDs(_ ids: [String], _ section: String, what: String) -> Set<Int> {
        var first: [String: Int] = [:]
        var repeats: Set<Int> = []
        for (index, id) in ids.enumerated() {
            if let earlier = first[id] {
                let earlierPath = path(section, earlier)
                error("\(path(section, index)).id", "duplicate \(what) id \"\(id)\" (also \(earlierPath) at line \(source.line(of: earlierPath))); ids must be unique")
                repeats.insert(index)
            } else {
                first[id] = index
            }
        }
        return repeats
    }

    mutating func compile() -> PlantPlan? {
        checkUniqueIDs(config.buses.map(\.id), "buses", what: "bus")
        let repeatedDevices = checkUniqueIDs(config.devices.map(\.id), "devices", what: "device")
        checkUniqueIDs(config.lines.map(\.id), "lines", what: "line")
        let busIDs = config.buses.map(\.id)
        for (index, device) in config.devices.enumerated() where !repeatedDevices.contains(index) {
            let path = self.path("devices", index)
            if let bus = config.buses.first(where: { $0.id == device.bus }) {
                let range = bus.isSerial ? 1...247 : 0...255
                if !range.contains(device.unit) {
                    error("\(path).unit", "unit id \(device.unit) is outside \(range.lowerBound)…\(range.upperBound) allowed on \(bus.isSerial ? "a serial" : "a TCP") bus")
                }
            } else if !damage.isBroken("bus", device.bus) {
                let hint = Suggestion.hint(for: device.bus, in: busIDs)
                error("\(path).bus", "unknown bus \"\(device.bus)\"" + (hint.isEmpty ? "; define it under buses: (known: \(busIDs.joined(separator: ", ")))" : hint))
            }
            if device.interval <= .zero { error("\(path).interval", "interval must be > 0; a zero interval would busy-loop") }
            resolveTags(of: device, path: path)
        }
        checkTopics()
        checkTopicLengths()
        checkSparkplugDevices()
        let lines = compileLines()
        checkInstruments()
        let buses = planBuses()
        checkBusLoad(buses)
        guard errors.isEmpty else { return nil }
        let site = SiteDefinition(id: config.site.id, timeZone: config.site.timeZone, shiftStarts: config.site.shiftStarts,
                                  demandIntervalMinutes: Int(DurationText.milliseconds(config.site.demandInterval) / 60_000),
                                  factors: EmissionFactors(grid: config.factors.grid, market: config.factors.market,
                                                           fuels: config.factors.fuels, gwpSet: config.factors.gwp))
        // The plan lives as long as the daemon: keep its tag table without the append-growth slack
        // (about 0.5 KB per unused slot).
        var exactTags: [TagDefinition] = []
        exactTags.reserveCapacity(tags.count)
        exactTags.append(contentsOf: tags)
        return PlantPlan(stateDirectory: config.stateDirectory, controlSocket: config.controlSocket, logLevel: config.logLevel,
                         site: site, tags: exactTags, buses: buses, lines: lines, mqtt: config.mqtt, warnings: warnings)
    }

    /// Each device's tags: the profile's (filtered by `only`, overridden by name) then inline ones.
    mutating func resolveTags(of device: DeviceConfig, path: String) {
        var resolved: [(TagConfig, String)] = []
        if let name = device.profile, let profile = MeterProfile.named(name) {
            let names = profile.tags.map(\.name)
            for (index, wanted) in (device.only ?? []).enumerated() where !names.contains(wanted) {
                error("\(path).only[\(index)]", "profile \(name) has no tag \"\(wanted)\"" + Suggestion.hint(for: wanted, in: names))
            }
            for tag in profile.tags {
                let override = device.tags.first { $0.name == tag.name }
                guard device.only?.contains(tag.name) ?? true || override != nil else { continue }
                resolved.append((override.map(tag.overridden(by:)) ?? tag, "\(path).tags.\(tag.name)"))
            }
            resolved += device.tags.filter { !names.contains($0.name) }.map { ($0, "\(path).tags.\($0.name)") }
        } else {
            resolved = device.tags.map { ($0, "\(path).tags.\($0.name)") }
        }
        let firstIndex = tags.count
        for (tag, tagPath) in resolved {
            if let definition = define(tag, device: device, path: tagPath) {
                tags.append(definition)
                tagPaths.append(tagPath)
            }
        }
        checkOverlaps(from: firstIndex)
        for index in firstIndex..<tags.count {
            if let marker = tags[index].resetMarker, !tags[firstIndex...].contains(where: { $0.name == marker }) {
                error("\(tagPaths[index]).reset_marker", "reset marker \"\(marker)\" is not a tag of device \(device.id); add it (or its name to `only`)")
            }
        }
    }

    /// Same table and address read with a different type or order would publish two truths.
    mutating func checkOverlaps(from firstIndex: Int) {
        var seen: [RegisterAddress: Int] = [:]
        for index in firstIndex..<tags.count where tags[index].decode.type.isNumeric {
            let tag = tags[index]
            if let other = seen[tag.register], tags[other].decode.type != tag.decode.type || tags[other].decode.order != tag.decode.order {
                error(tagPaths[index], "register \(tag.register) is also read as \(tags[other].decode.type.rawValue) \(tags[other].decode.order.rawValue) by tag \(tags[other].name), here as \(tag.decode.type.rawValue) \(tag.decode.order.rawValue); make them agree")
            } else if seen[tag.register] == nil {
                seen[tag.register] = index
            }
        }
    }

    /// Sparkplug makes each meter and each line a device of the edge node: one id cannot be both.
    mutating func checkSparkplugDevices() {
        guard config.mqtt.sparkplug != nil else { return }
        let meters = Set(config.devices.map(\.id))
        for (index, line) in config.lines.enumerated() where meters.contains(line.id) {
            error("\(path("lines", index)).id", "line \(line.id) and device \(line.id) would be the same Sparkplug device (mqtt.sparkplug); rename one of them")
        }
    }

    mutating func checkTopics() {
        var seen: [String: Int] = [:]
        for (index, tag) in tags.enumerated() {
            let topic = "\(tag.device)/\(tag.topicLevel)"
            if let other = seen[topic] {
                error(tagPaths[index], "tags \(tags[other].name) and \(tag.name) of device \(tag.device) both publish to topic …/devices/\(topic); give one a different `topic:`")
            } else {
                seen[topic] = index
            }
        }
    }
}
