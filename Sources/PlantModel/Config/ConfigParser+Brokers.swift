import Yams

extension ConfigParser {
    /// `mqtt.hosts: ["a.example:8883", "b.example:8883"]` and `mqtt.prefer_first:`. The port defaults to the
    /// MQTT one (8883 with `tls:`, else 1883); `hosts` replaces `host`/`port`, so giving both is refused.
    func parseBrokers(_ fields: Fields, into mqtt: inout MQTTConfig) {
        if let preferFirst = fields.bool("prefer_first") { mqtt.preferFirst = preferFirst }
        guard let hostsNode = fields["hosts"] else {
            if fields["prefer_first"] != nil {
                reader.error(fields["prefer_first"], fields.path("prefer_first"), "prefer_first only applies to a list of brokers; add `hosts: [\"a:1883\", \"b:1883\"]` or remove it")
            }
            return
        }
        let path = fields.path("hosts")
        if let other = ["host", "port"].first(where: { fields[$0] != nil }) {
            reader.error(fields[other], fields.path(other), "`\(other):` and `hosts:` both name the broker; keep `hosts:` and write each entry as \"host:port\", or remove `hosts:`")
            return
        }
        guard let items = reader.sequence(hostsNode, path) else { return }
        if items.isEmpty {
            reader.error(hostsNode, path, "the broker list is empty; give at least one \"host:port\", e.g. [\"127.0.0.1:1883\"]")
            return
        }
        let defaultPort = fields["tls"] == nil ? 1883 : 8883
        var hosts: [TCPAddress] = []
        for (node, itemPath) in items {
            guard let text = reader.string(node, itemPath) else { continue }
            guard let address = TCPAddress(parsing: text, defaultPort: defaultPort) else {
                reader.error(node, itemPath, "\"\(text.prefix(80))\" is not a broker: write \"host:port\", e.g. \"broker-a.site:8883\", \"10.0.0.5:1883\" or \"[fd00::5]:1883\"")
                continue
            }
            if hosts.contains(address) {
                reader.error(node, itemPath, "\(address) is listed twice; list each broker once")
                continue
            }
            hosts.append(address)
        }
        mqtt.hosts = hosts
        if let first = hosts.first {
            mqtt.host = first.host
            mqtt.port = first.port
        }
    }
}
