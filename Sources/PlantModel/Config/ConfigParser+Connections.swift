import ModbusProtocol
import Yams

extension ConfigParser {
    static let passwordMessage = "secrets are never written in plantgate.yaml; put the password in a file readable only by the plantgate user and set `password_file: /etc/plantgate/mqtt.pass`"

    func parseMQTT(_ node: Node, _ path: String) -> MQTTConfig? {
        let keys = ["host", "port", "hosts", "prefer_first", "client_id", "prefix", "keepalive", "reconnect", "qos", "protocol", "username", "password_file", "tls", "publish", "outbox", "sparkplug"]
        guard let fields = reader.mapping(node, path, allowed: keys, special: ["password": Self.passwordMessage]) else { return nil }
        var mqtt = MQTTConfig()
        if let host = fields.string("host") {
            if host.isEmpty { reader.error(fields["host"], fields.path("host"), "the broker host is empty; give a name or address, e.g. 127.0.0.1") }
            mqtt.host = host
        }
        if let port = fields.int("port", in: 1...65535, what: " (a TCP port)") { mqtt.port = port }
        parseBrokers(fields, into: &mqtt)
        if let id = fields.string("client_id") {
            // MQTT carries it in a two-byte length; the Sparkplug connection adds "-sparkplug".
            if id.isEmpty {
                reader.error(fields["client_id"], fields.path("client_id"), "the client id is empty; give one or remove the key (default plantgate-<site id>)")
            } else if id.utf8.count > 65_525 {
                reader.error(fields["client_id"], fields.path("client_id"), "client id of \(id.utf8.count) bytes; MQTT allows at most 65535 (and brokers expect a few dozen) — shorten it")
            }
            mqtt.clientID = id
        }
        if let prefix = fields.string("prefix") {
            if prefix.contains("+") || prefix.contains("#") || prefix.hasPrefix("/") || prefix.hasSuffix("/") {
                reader.error(fields["prefix"], fields.path("prefix"), "topic prefix \"\(prefix)\" must not contain + or # nor start or end with /")
            }
            mqtt.prefix = prefix
        }
        if let keepalive = fields.duration("keepalive", positive: true) {
            if keepalive < .seconds(5) {
                // libmosquitto refuses keepalives under 5 s with a bare "invalid argument".
                reader.error(fields["keepalive"], fields.path("keepalive"), "keepalive must be at least 5s (MQTT brokers and libmosquitto refuse shorter ones)")
            } else if keepalive > .seconds(65_535) {
                // MQTT carries it in two bytes; libmosquitto refuses more at the first connect.
                reader.error(fields["keepalive"], fields.path("keepalive"), "keepalive must be at most 65535s (18h 12m 15s; MQTT carries it in two bytes); 30s to 5m is usual")
            }
            mqtt.keepalive = keepalive
        }
        if let reconnectNode = fields["reconnect"] { mqtt.reconnect = parseReconnect(reconnectNode, fields.path("reconnect")) ?? mqtt.reconnect }
        if let qos = fields.int("qos", in: 0...1, what: " (plantgate publishes with QoS 0 or 1)") { mqtt.qos = qos }
        if let version = fields.choice("protocol", what: "MQTT protocol", from: MQTTProtocolVersion.allCases.map(\.rawValue)) {
            mqtt.protocolVersion = MQTTProtocolVersion(rawValue: version) ?? .v311
        }
        mqtt.username = fields.string("username")
        mqtt.passwordFile = fields.string("password_file")
        if mqtt.passwordFile != nil, mqtt.username == nil {
            reader.error(fields["password_file"], fields.path("password_file"), "a password needs a username; add `username:`")
        }
        if let tlsNode = fields["tls"], let tls = reader.mapping(tlsNode, fields.path("tls"), allowed: ["ca_file", "cert_file", "key_file", "insecure"]) {
            var settings = TLSConfig(caFile: tls.string("ca_file"), certFile: tls.string("cert_file"), keyFile: tls.string("key_file"))
            settings.insecure = tls.bool("insecure") ?? false
            if (settings.certFile == nil) != (settings.keyFile == nil) {
                reader.error(tlsNode, tls.path, "a client certificate needs both cert_file and key_file")
            }
            mqtt.tls = settings
        }
        if let publishNode = fields["publish"] { mqtt.publish = parsePublish(publishNode, fields.path("publish")) ?? mqtt.publish }
        if let outboxNode = fields["outbox"] { mqtt.outbox = parseOutbox(outboxNode, fields.path("outbox")) ?? mqtt.outbox }
        if let sparkplugNode = fields["sparkplug"] { mqtt.sparkplug = parseSparkplug(sparkplugNode, fields.path("sparkplug")) }
        return mqtt
    }

    func parseReconnect(_ node: Node, _ path: String) -> ReconnectConfig? {
        guard let fields = reader.mapping(node, path, allowed: ["min", "max"]) else { return nil }
        var reconnect = ReconnectConfig()
        if let min = fields.duration("min", positive: true) {
            if min < .milliseconds(100) {
                reader.error(fields["min"], fields.path("min"), "min must be at least 100ms, so a broker that refuses at once is not hammered")
            }
            reconnect.min = min
        }
        if let max = fields.duration("max", positive: true) {
            if max > .seconds(300) {
                reader.error(fields["max"], fields.path("max"), "max must be at most 5m: it is also how long the gateway may stay away after the broker is back")
            }
            reconnect.max = max
        }
        if reconnect.max < reconnect.min {
            reader.error(node, path, "max (\(DurationText.format(reconnect.max))) is shorter than min (\(DurationText.format(reconnect.min))); the back-off doubles from min up to max")
        }
        return reconnect
    }

    func parseSparkplug(_ node: Node, _ path: String) -> SparkplugConfig? {
        guard let fields = reader.mapping(node, path, allowed: ["group_id", "edge_node_id", "primary_host_id", "mode"]) else { return nil }
        let group = fields.requiredString("group_id", example: "lithium-site")
        let edgeNode = fields.requiredString("edge_node_id", example: "plantgate-1")
        let host = fields.string("primary_host_id")
        for (key, id) in [("group_id", group), ("edge_node_id", edgeNode), ("primary_host_id", host)] {
            guard let id else { continue }
            let forbidden = id.filter { "/+#".contains($0) }
            if id.isEmpty || !forbidden.isEmpty || id.contains(where: \.isWhitespace) {
                reader.error(fields[key], fields.path(key), "\"\(id.prefix(40))\" is not a valid Sparkplug id: "
                    + (forbidden.isEmpty ? "it is empty or has spaces" : "it contains '\(forbidden)'")
                    + "; use letters, digits, '-', '_' or '.' (ids become MQTT topic levels)")
            }
        }
        var mode = SparkplugConfig.Mode.alongside
        if let text = fields.choice("mode", what: "Sparkplug mode", from: SparkplugConfig.Mode.allCases.map(\.rawValue)) {
            mode = SparkplugConfig.Mode(rawValue: text) ?? .alongside
        }
        guard let group, let edgeNode else { return nil }
        return SparkplugConfig(groupID: group, edgeNodeID: edgeNode, primaryHostID: host, mode: mode)
    }

    func parsePublish(_ node: Node, _ path: String) -> PublishOptions? {
        guard let fields = reader.mapping(node, path, allowed: ["raw", "deadband", "max_silence", "raw_qos", "retain_raw", "provenance", "live_interval", "to_date_interval"]) else { return nil }
        var options = PublishOptions()
        if let mode = fields.choice("raw", what: "publish mode", from: PublishOptions.Mode.allCases.map(\.rawValue)) {
            options.raw = PublishOptions.Mode(rawValue: mode) ?? .everyPoll
        }
        if let text = fields.string("deadband") {
            let percent = text.hasSuffix("%")
            if let value = Double(percent ? String(text.dropLast()) : text), value.isFinite, value >= 0 {
                options.deadband = percent ? .percent(value) : .absolute(value)
            } else {
                reader.error(fields["deadband"], fields.path("deadband"), "expected a non-negative number (0.5) or percentage (\"1%\"), found \"\(text.prefix(40))\"")
            }
        }
        if let silence = fields.duration("max_silence", positive: true) { options.maxSilence = silence }
        if let qos = fields.int("raw_qos", in: 0...1) { options.rawQoS = qos }
        if let retain = fields.bool("retain_raw") { options.retainRaw = retain }
        if let provenance = fields.bool("provenance") { options.provenance = provenance }
        options.liveInterval = cadence("live_interval", in: fields, what: "live metrics", default: options.liveInterval)
        options.toDateInterval = cadence("to_date_interval", in: fields, what: "period-to-date totals", default: options.toDateInterval)
        return options
    }

    /// A publishing cadence of at least a second.
    private func cadence(_ key: String, in fields: Fields, what: String, default fallback: Duration) -> Duration {
        guard let interval = fields.duration(key, positive: true) else { return fallback }
        guard interval >= .seconds(1) else {
            reader.error(fields[key], fields.path(key), "\(what) more often than every second only load the broker; use 1s or more (default \(DurationText.format(fallback)))")
            return fallback
        }
        return interval
    }

    func parseBus(_ node: Node, _ path: String) -> BusConfig? {
        let keys = ["id", "tcp", "serial", "response_timeout", "byte_timeout", "connect_timeout", "retries", "request_delay", "soft_errors"]
        guard let fields = reader.mapping(node, path, allowed: keys) else { return nil }
        let id = fields.requiredString("id", example: "mcc")
        if let id { checkIdentifier(id, fields["id"], fields.path("id")) }
        var link: BusLink?
        switch (fields["tcp"], fields["serial"]) {
        case (let tcp?, nil):
            link = parseTCP(tcp, fields.path("tcp"))
        case (nil, let serial?):
            link = parseSerial(serial, fields.path("serial"))
        case (.some, .some):
            reader.error(node, path, "a bus is either tcp: or serial:, not both")
        case (nil, nil):
            reader.error(node, path, "missing the link; add `tcp: {host: 127.0.0.1, port: 502}` or `serial: {device: /dev/ttyUSB0, baud: 19200}`")
        }
        guard let id, let link else { return nil }
        var bus = BusConfig(id: id, link: link)
        if let value = fields.duration("response_timeout", positive: true) { bus.responseTimeout = value }
        if let value = fields.duration("byte_timeout", positive: true) { bus.byteTimeout = value }
        if let value = fields.duration("connect_timeout", positive: true) { bus.connectTimeout = value }
        if let value = fields.duration("request_delay") { bus.requestDelay = value }
        if let value = fields.int("retries", in: 0...10) { bus.retries = value }
        if let value = fields.int("soft_errors", in: 1...100) { bus.softErrors = value }
        return bus
    }

    /// `tcp: {host: meter-7.site, port: 502}`; the host may be a name, IPv4, IPv6 (`"::1"` or `"[::1]"`), or carry
    /// its port (`"[fd00::7]:1502"`, `"mcc-gw-3:1502"`). Names are resolved when the bus connects, on every reconnect.
    func parseTCP(_ node: Node, _ path: String) -> BusLink? {
        guard let fields = reader.mapping(node, path, allowed: ["host", "port"]) else { return nil }
        guard let text = fields.requiredString("host", example: "127.0.0.1") else { return nil }
        let port = fields["port"] == nil ? 502 : fields.int("port", in: 1...65535, what: " (a TCP port)")
        guard let address = TCPAddress(parsing: text, defaultPort: port ?? 502) else {
            reader.error(fields["host"], fields.path("host"), "\"\(text.prefix(80))\" is not a host: write a name (meter-7.site), an IPv4 address (192.168.1.20), an IPv6 address in brackets ([fd00::7]), optionally followed by :PORT")
            return nil
        }
        if address.portGiven, fields["port"] != nil, address.port != port {
            reader.error(fields["port"], fields.path("port"), "the host says port \(address.port) but port: says \(port.map(String.init) ?? "?"); keep one of them")
            return nil
        }
        guard port != nil || address.portGiven else { return nil }
        return .tcp(host: address.host, port: address.port)
    }

    func parseSerial(_ node: Node, _ path: String) -> BusLink? {
        guard let fields = reader.mapping(node, path, allowed: ["device", "baud", "parity", "data_bits", "stop_bits"]) else { return nil }
        guard let device = fields.requiredString("device", example: "/dev/ttyUSB0") else { return nil }
        var settings = SerialSettings(device: device)
        let bauds = [1200, 2400, 4800, 9600, 19_200, 38_400, 57_600, 115_200, 230_400]
        if let baud = fields.int("baud", in: 300...921_600) {
            if !bauds.contains(baud) {
                reader.error(fields["baud"], fields.path("baud"), "unusual baud rate \(baud); use one of \(bauds.map(String.init).joined(separator: ", "))")
            }
            settings.baud = baud
        }
        if let parity = fields.choice("parity", what: "parity", from: ["N", "E", "O"]) { settings.parity = SerialSettings.Parity(rawValue: parity) ?? .even }
        if let bits = fields.int("data_bits", in: 7...8) { settings.dataBits = bits }
        if let bits = fields.int("stop_bits", in: 1...2) { settings.stopBits = bits }
        return .serial(settings)
    }
}
