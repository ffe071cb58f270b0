import Glibc

/// Resolves a Modbus TCP host the way libmodbus's `modbus_new_tcp_pi` will, so a name that does not
/// resolve is reported as exactly that (libmodbus itself turns it into a bare "connection refused").
enum HostLookup {
    /// The resolver's words when `host` does not resolve ("Name or service not known"); nil when it does.
    /// Blocks for as long as the system resolver takes; called on every connect, so a moved DNS entry is followed.
    static func failure(host: String, port: Int) -> String? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        if let list { freeaddrinfo(list) }
        guard code != 0 else { return nil }
        return String(cString: gai_strerror(code))
    }
}
