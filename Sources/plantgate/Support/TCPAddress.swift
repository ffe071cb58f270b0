/// `HOST[:PORT]` from the command line (`[v6addr]:PORT` for IPv6).
struct TCPAddress: Sendable, Hashable, CustomStringConvertible {
    var host: String
    var port: Int

    /// Parses the text; nil when the port is not 1…65535 or the host is empty.
    init?(parsing text: String, defaultPort: Int? = 502) {
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
        guard !host.isEmpty else { return nil }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            guard let defaultPort else { return nil }
            self.port = defaultPort
        }
        self.host = host
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
