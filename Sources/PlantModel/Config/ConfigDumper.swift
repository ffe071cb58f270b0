import Foundation
import ModbusProtocol
import Yams

/// Writes a `PlantConfig` back as plantgate.yaml text (every setting explicit), such that loading the
/// text gives the same `PlantConfig`.
public enum ConfigDumper {
    /// The YAML text of `config`.
    public static func dump(_ config: PlantConfig) throws -> String {
        try Yams.serialize(node: node(config), width: -1, allowUnicode: true)
    }

    private static func text(_ value: String) -> Node { Node(value, .implicit, .doubleQuoted) }
    private static func number(_ value: Double) -> Node { Node("\(value)") }
    private static func number(_ value: Int) -> Node { Node("\(value)") }
    private static func flag(_ value: Bool) -> Node { Node(value ? "true" : "false") }
    private static func duration(_ value: Duration) -> Node { Node(DurationText.format(value)) }
    private static func map(_ pairs: [(String, Node?)]) -> Node {
        Node(pairs.compactMap { key, value in value.map { (Node(key), $0) } })
    }

    static func node(_ config: PlantConfig) -> Node {
        let site = config.site
        return map([
            ("site", map([("id", text(site.id)), ("time_zone", text(site.timeZone)),
                          ("shifts", Node(site.shiftStarts.map { text(String(format: "%02d:%02d", $0 / 60, $0 % 60)) })),
                          ("demand_interval", duration(site.demandInterval))])),
            ("mqtt", mqtt(config.mqtt)),
            ("buses", Node(config.buses.map(bus))),
            ("devices", Node(config.devices.map(device))),
            ("lines", Node(config.lines.map(line))),
            ("factors", factors(config.factors)),
            ("state_dir", text(config.stateDirectory)),
            ("control_socket", text(config.controlSocket)),
            ("log_level", Node(config.logLevel.rawValue)),
            ("report", config.report.map(report)),
        ])
    }

    static func report(_ report: ReportConfig) -> Node {
        map([
            ("company_name", report.companyName.map(text)), ("company_ids", Node(report.companyIDs.map(text))),
            ("country", report.country.map(text)),
            ("dqi", report.dataQuality.map { map([("technological", number($0.technological)), ("geographical", number($0.geographical)),
                                                  ("temporal", number($0.temporal))]) }),
            ("products", Node(report.products.keys.sorted().compactMap { line in
                report.products[line].map { product in
                    (text(line), map([("ids", Node(product.ids.map(text))), ("trade_name", product.tradeName.map(text)),
                                      ("description", product.description.map(text)), ("fossil_carbon_content", number(product.fossilCarbonContent))]))
                }
            })),
        ])
    }

    static func mqtt(_ mqtt: MQTTConfig) -> Node {
        let publish = mqtt.publish
        let deadband: Node = switch publish.deadband {
        case .absolute(let value): number(value)
        case .percent(let value): text("\(value)%")
        }
        return map([
            ("host", mqtt.hosts.isEmpty ? text(mqtt.host) : nil), ("port", mqtt.hosts.isEmpty ? number(mqtt.port) : nil),
            ("hosts", mqtt.hosts.isEmpty ? nil : Node(mqtt.hosts.map { text($0.description) })),
            ("prefer_first", mqtt.hosts.isEmpty ? nil : flag(mqtt.preferFirst)), ("client_id", mqtt.clientID.map(text)),
            ("prefix", text(mqtt.prefix)), ("keepalive", duration(mqtt.keepalive)),
            ("reconnect", map([("min", duration(mqtt.reconnect.min)), ("max", duration(mqtt.reconnect.max))])), ("qos", number(mqtt.qos)),
            ("protocol", text(mqtt.protocolVersion.rawValue)), ("username", mqtt.username.map(text)),
            ("password_file", mqtt.passwordFile.map(text)),
            ("tls", mqtt.tls.map { tls in
                map([("ca_file", tls.caFile.map(text)), ("cert_file", tls.certFile.map(text)), ("key_file", tls.keyFile.map(text)),
                     ("insecure", flag(tls.insecure))])
            }),
            ("publish", map([("raw", Node(publish.raw.rawValue)), ("deadband", deadband), ("max_silence", duration(publish.maxSilence)),
                             ("raw_qos", number(publish.rawQoS)), ("retain_raw", flag(publish.retainRaw)),
                             ("provenance", flag(publish.provenance)), ("live_interval", duration(publish.liveInterval)),
                             ("to_date_interval", duration(publish.toDateInterval))])),
            ("outbox", outbox(mqtt.outbox)),
            ("sparkplug", mqtt.sparkplug.map { sparkplug in
                map([("group_id", text(sparkplug.groupID)), ("edge_node_id", text(sparkplug.edgeNodeID)),
                     ("primary_host_id", sparkplug.primaryHostID.map(text)), ("mode", Node(sparkplug.mode.rawValue))])
            }),
        ])
    }

    static func outbox(_ outbox: OutboxConfig) -> Node? {
        guard outbox != OutboxConfig() else { return nil }
        return map([("max_bytes", outbox.maxBytes.map(number)), ("max_age", outbox.maxAge.map(duration)),
                    ("queue_capacity", outbox.queueCapacity.map(number)), ("offline_raw_capacity", outbox.offlineRawCapacity.map(number)),
                    ("inflight_window", outbox.inflightWindow.map(number))])
    }

    static func bus(_ bus: BusConfig) -> Node {
        let link: (String, Node) = switch bus.link {
        case .tcp(let host, let port): ("tcp", map([("host", text(host)), ("port", number(port))]))
        case .serial(let serial):
            ("serial", map([("device", text(serial.device)), ("baud", number(serial.baud)), ("parity", text(serial.parity.rawValue)),
                            ("data_bits", number(serial.dataBits)), ("stop_bits", number(serial.stopBits))]))
        }
        return map([("id", text(bus.id)), (link.0, link.1), ("response_timeout", duration(bus.responseTimeout)),
                    ("byte_timeout", duration(bus.byteTimeout)), ("connect_timeout", duration(bus.connectTimeout)),
                    ("retries", number(bus.retries)), ("request_delay", duration(bus.requestDelay)), ("soft_errors", number(bus.softErrors))])
    }

    static func device(_ device: DeviceConfig) -> Node {
        map([("id", text(device.id)), ("bus", text(device.bus)), ("unit", number(device.unit)), ("interval", duration(device.interval)),
             ("max_gap", number(device.maxGap)), ("profile", device.profile.map(text)), ("only", device.only.map { Node($0.map(text)) }),
             ("tags", device.tags.isEmpty ? nil : Node(device.tags.map { (text($0.name), tag($0)) }))])
    }

    static func tag(_ tag: TagConfig) -> Node {
        map([
            ("register", tag.register.map { text($0.description) }), ("type", tag.type.map { Node($0.rawValue) }),
            ("order", tag.order.map { Node($0.rawValue) }), ("unit", tag.unit.map(text)), ("scale", tag.scale.map(number)),
            ("offset", tag.offset.map(number)), ("min", tag.min.map(number)), ("max", tag.max.map(number)),
            ("interval", tag.interval.map(duration)), ("kind", tag.kind.map { Node($0.rawValue) }),
            ("max_rate", tag.maxRate.map(number)), ("modulus", tag.modulus.map(number)), ("bit", tag.bit.map(number)),
            ("bits", tag.bits.map { text("\($0.lowerBound)-\($0.upperBound)") }), ("length", tag.length.map(number)),
            ("sum_of", tag.sumOf.map(number)), ("transform", tag.transform.map { Node($0.rawValue) }),
            ("topic", tag.topic.map(text)), ("reset_marker", tag.resetMarker.map(text)),
            ("scale_factor", tag.scaleFactor.map { text($0.description) }),
        ])
    }

    static func line(_ line: LineConfig) -> Node {
        let product = line.product
        return map([
            ("id", text(line.id)), ("name", text(line.name)),
            ("product", map([("name", text(product.name)), ("lce_factor", product.lceFactor.map(number)), ("min_t", number(product.minimumTonnes))])),
            ("inputs", Node(line.inputs.filter { !$0.role.isElectrowinning }.map(input))),
            ("electrowinning", line.electrowinning.map { tankhouse in
                let tags = line.inputs.filter(\.role.isElectrowinning).map { ($0.role.configName.replacingOccurrences(of: "electrowinning.", with: ""), text($0.tag)) }
                return map([("metal", Node(tankhouse.metal.rawValue)), ("cells", number(tankhouse.cells))] + tags.map { ($0.0, Optional($0.1)) })
            }),
            ("baseline", line.baseline.map(baseline)),
        ])
    }

    /// Written inline, whether it came inline or from a model file: the same figures either way.
    static func baseline(_ spec: BaselineSpec) -> Node {
        map([("period", Node(spec.period.rawValue)), ("energy", text(spec.energy)), ("intercept", number(spec.intercept)),
             ("variables", Node(spec.variables.map {
                 map([("name", text($0.name)), ("coefficient", number($0.coefficient)), ("min", number($0.minimum)), ("max", number($0.maximum))])
             }))])
    }

    static func input(_ input: InputConfig) -> Node {
        var pairs: [(String, Node?)] = [("tag", text(input.tag)), ("role", Node(input.role.configName))]
        switch input.role {
        case .waterWithdrawal(let source, let quality): pairs += [("source", Node(source.rawValue)), ("quality", Node(quality.rawValue))]
        case .waterDischarge(let destination, let quality): pairs += [("destination", Node(destination.rawValue)), ("quality", Node(quality.rawValue))]
        default: break
        }
        if let fuel = input.fuel { pairs += [("fuel", text(fuel.fuel)), ("ncv_mj_per_nm3", number(fuel.ncvMJPerNm3))] }
        if let table = input.strapping {
            pairs.append(("strapping", Node(zip(table.levels, table.volumes).map { Node([number($0.0), number($0.1)]) })))
        }
        return map(pairs)
    }

    static func factor(_ factor: EmissionFactor, valueKey: String) -> Node {
        map([("id", text(factor.id)), (valueKey, number(factor.value)), ("source", text(factor.source)), ("vintage", factor.vintage.map(number))])
    }

    static func instrument(_ i: ContractualInstrument) -> Node {
        map([("id", text(i.id)), ("type", Node(i.kind)), ("line", text(i.line)), ("month", text(i.monthLabel)), ("market", text(i.market)),
             ("mwh", number(i.mwh)), ("kgco2e_per_kwh", number(i.kgCO2ePerKWh)), ("renewable", Node(i.renewable ? "true" : "false")),
             ("certificates", Node(i.certificates.map(text)))])
    }

    static func factors(_ factors: FactorsConfig) -> Node {
        map([
            ("gwp", Node(factors.gwp)), ("grid", factor(factors.grid, valueKey: "kgco2e_per_kwh")),
            ("market", factors.market.map { market in
                guard market.instruments.isEmpty else {
                    return map([("market", market.market.map(text)), ("residual", factor(market.residual, valueKey: "kgco2e_per_kwh")),
                                ("instruments", Node(market.instruments.map(instrument)))])
                }
                return map([("instrument_share", number(market.instrumentShare)),
                     ("instrument", factor(market.instrument, valueKey: "kgco2e_per_kwh")),
                     ("residual", factor(market.residual, valueKey: "kgco2e_per_kwh")), ("market", market.market.map(text))])
            }),
            ("fuels", factors.fuels.isEmpty ? nil : Node(factors.fuels.sorted { $0.key < $1.key }.map { (text($0.key), factor($0.value, valueKey: "kgco2e_per_gj")) })),
        ])
    }
}
