/// One broker a client may connect to: a host name or IP address and a TCP port.
public struct MQTTBrokerAddress: Sendable, Hashable, CustomStringConvertible {
    /// Host name or IP address (IPv6 without brackets). A literal address avoids a blocking DNS lookup.
    public var host: String
    /// TCP port (1883 plain, 8883 TLS by convention).
    public var port: Int

    /// The broker at `host`:`port`.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with an IPv6 address in brackets.
    public var description: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// `mqtt://host:port` or `mqtts://[v6]:port`.
    func endpoint(tls: Bool) -> String { "\(tls ? "mqtts" : "mqtt")://\(description)" }
}
