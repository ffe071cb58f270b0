/// A Modbus TCP address as a person writes it: `HOST`, `HOST:PORT`, a bare IPv6 address (`::1`) or
/// `[IPV6]:PORT`. Used by the config (`tcp: {host: …}`) and by `plantgate probe --tcp` / `scan --tcp`.
public struct TCPAddress: Sendable, Hashable, CustomStringConvertible {
    /// A name, an IPv4 address or an IPv6 address without brackets.
    public var host: String
    public var port: Int
    /// Whether the text named the port itself.
    public var portGiven: Bool

    /// An address with its port given.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
        portGiven = true
    }

    /// Parses the text; nil when the port is not 1…65535, the host is empty or holds spaces, or brackets do not close.
    public init?(parsing text: String, defaultPort: Int? = 502) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "[" || $0 == "]" || $0 == "/" }) else { return nil }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { return nil }
            self.port = port
            portGiven = true
        } else {
            guard let defaultPort else { return nil }
            self.port = defaultPort
            portGiven = false
        }
        self.host = host
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
