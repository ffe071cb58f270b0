import ModbusProtocol
import Yams

extension ConfigParser {
    static let tagKeys = ["register", "type", "order", "unit", "scale", "offset", "min", "max", "interval", "kind",
                          "max_rate", "modulus", "bit", "bits", "length", "sum_of", "transform", "topic", "reset_marker", "scale_factor"]

    func parseDevice(_ node: Node, _ path: String) -> DeviceConfig? {
        let keys = ["id", "bus", "unit", "interval", "max_gap", "profile", "only", "tags"]
        guard let fields = reader.mapping(node, path, allowed: keys) else { return nil }
        let id = fields.requiredString("id", example: "pm-main")
        if let id { checkIdentifier(id, fields["id"], fields.path("id")) }
        let bus = fields.requiredString("bus", example: "mcc")
        let unit = fields.required("unit", example: "1").flatMap { reader.int($0, fields.path("unit"), in: 0...255, what: " (Modbus unit id)") }
        guard let id, let bus, let unit else { return nil }
        var device = DeviceConfig(id: id, bus: bus, unit: unit)
        if let interval = fields.duration("interval", positive: true) { device.interval = interval }
        if let gap = fields.int("max_gap", in: 0...124) { device.maxGap = gap }
        if let profile = fields.string("profile") {
            if MeterProfile.named(profile) == nil {
                reader.damage.markBroken("tag", "\(id)/*")
                let hint = Suggestion.hint(for: profile, in: MeterProfile.builtIn.map(\.name))
                reader.error(fields["profile"], fields.path("profile"), "unknown profile \"\(profile)\"" + (hint.isEmpty ? "; `plantgate profiles` lists them" : hint))
            }
            device.profile = profile
        }
        var writtenTags = 0
        if let only = fields["only"] { device.only = reader.stringList(only, fields.path("only")) }
        if let tags = fields["tags"] {
            if case .mapping(let mapping) = tags {
                reader.source.record(fields.path("tags"), line: ConfigReader.line(tags))
                var seen: Set<String> = []
                writtenTags = mapping.count
                for (key, value) in mapping {
                    guard let name = reader.string(key, fields.path("tags")) else { continue }
                    let tagPath = fields.path("tags") + "." + name
                    if !seen.insert(name).inserted {
                        reader.error(key, tagPath, "duplicate tag \"\(name)\" on device \(id); keep one")
                        continue
                    }
                    reader.source.record(tagPath, line: ConfigReader.line(key))
                    let errorsBefore = reader.errors.count
                    checkIdentifier(name, key, tagPath)
                    // A tag with any mistake is left out of the whole-config checks, which would only restate it.
                    if let tag = parseTag(name: name, value, tagPath), reader.errors.count == errorsBefore {
                        device.tags.append(tag)
                    } else {
                        reader.damage.markBroken("tag", "\(id)/\(name)")
                    }
                }
            } else {
                writtenTags = 1
                reader.damage.markBroken("tag", "\(id)/*")
                reader.error(tags, fields.path("tags"), "expected a mapping of tag name to settings, e.g. `freq: {register: \"holding:3109\", type: float32}`")
            }
        }
        if device.profile == nil, writtenTags == 0 {
            reader.error(node, path, "device \(id) has no tags; add `profile:` or `tags:`")
        }
        return device
    }

    func parseTag(name: String, _ node: Node, _ path: String) -> TagConfig? {
        guard let fields = reader.mapping(node, path, allowed: Self.tagKeys) else { return nil }
        var tag = TagConfig(name: name)
        if let text = fields.string("register") {
            tag.register = RegisterAddress(parsing: text)
            if tag.register == nil {
                reader.error(fields["register"], fields.path("register"), "expected \"holding|input|coil|discrete:ADDRESS\" with ADDRESS 0…65535 (0-based PDU address), found \"\(text.prefix(40))\"")
            }
        }
        if let type = fields.choice("type", what: "type", from: ValueType.allCases.map(\.rawValue)) { tag.type = ValueType(rawValue: type) }
        if let order = fields.choice("order", what: "word order", from: WordOrder.allCases.map(\.rawValue)) { tag.order = WordOrder(rawValue: order) }
        tag.unit = fields.string("unit")
        tag.scale = fields.double("scale")
        if tag.scale == 0 { reader.error(fields["scale"], fields.path("scale"), "scale 0 would make every reading 0; remove it or use 1") }
        tag.offset = fields.double("offset")
        tag.min = fields.double("min")
        tag.max = fields.double("max")
        if let low = tag.min, let high = tag.max, low > high {
            reader.error(fields["min"], fields.path("min"), "min \(low) is above max \(high); swap them")
        }
        tag.interval = fields.duration("interval", positive: true)
        if let kind = fields.choice("kind", what: "kind", from: TagKind.allCases.map(\.rawValue)) { tag.kind = TagKind(rawValue: kind) }
        tag.maxRate = fields.double("max_rate")
        if let rate = tag.maxRate, rate <= 0 { reader.error(fields["max_rate"], fields.path("max_rate"), "max_rate must be > 0 (units per hour)") }
        tag.modulus = fields.double("modulus")
        if let modulus = tag.modulus, modulus <= 0 { reader.error(fields["modulus"], fields.path("modulus"), "modulus must be > 0") }
        tag.bit = fields.int("bit", in: 0...15, what: " (bit of a 16-bit register)")
        if let text = fields.string("bits") {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            if parts.count == 2, (0...15).contains(parts[0]), (parts[0]...15).contains(parts[1]) {
                tag.bits = parts[0]...parts[1]
            } else {
                reader.error(fields["bits"], fields.path("bits"), "expected a bit range \"LOW-HIGH\" within 0-15, e.g. \"4-7\", found \"\(text.prefix(20))\"")
            }
        }
        tag.length = fields.int("length", in: 1...125, what: " registers (one request reads at most 125)")
        tag.sumOf = fields.int("sum_of", in: 1...8)
        if let transform = fields.choice("transform", what: "transform", from: ValueTransform.configurable.map(\.rawValue)) {
            tag.transform = ValueTransform(rawValue: transform)
        }
        if let topic = fields.string("topic") {
            checkIdentifier(topic, fields["topic"], fields.path("topic"))
            tag.topic = topic
        }
        tag.resetMarker = fields.string("reset_marker")
        if let text = fields.string("scale_factor") {
            tag.scaleFactor = RegisterAddress(parsing: text)
            if tag.scaleFactor == nil {
                reader.error(fields["scale_factor"], fields.path("scale_factor"), "expected the scale-factor register as \"holding:ADDRESS\", e.g. \"holding:40084\", found \"\(text.prefix(40))\"")
            }
        }
        return tag
    }
}
