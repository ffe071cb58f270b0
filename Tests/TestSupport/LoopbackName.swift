import Foundation

/// A host name other than `localhost` that /etc/hosts maps to a 127.x address (the machine's own name
/// usually is one), for tests that connect by name.
public enum LoopbackName {
    /// The first such name in /etc/hosts. When there is none, a test-only alias line is added
    /// (tests run as root on the test machine) and that name is returned.
    public static func fromEtcHosts() throws -> String {
        let text = (try? String(contentsOfFile: "/etc/hosts", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let address = fields.first, address.hasPrefix("127.") else { continue }
            if let name = fields.dropFirst().first(where: { !$0.hasPrefix("#") && $0 != "localhost" && !$0.hasPrefix("localhost.") }) {
                return String(name)
            }
        }
        return try EtcHostsAlias("plantgate-test-meter", address: "127.0.0.1").name
    }
}

/// A test-only /etc/hosts line (`ADDRESS NAME # plantgate test`) that a test can move and must remove.
/// Each change replaces the file by rename, so a concurrent lookup never sees it half written.
public struct EtcHostsAlias: Sendable {
    public let name: String
    private static let path = "/etc/hosts"

    public init(_ name: String, address: String) throws {
        self.name = name
        try point(to: address)
    }

    /// Rewrites the alias's line to `address` (the rest of the file is kept as it is).
    public func point(to address: String) throws {
        let kept = Self.lines().filter { !$0.hasSuffix(" \(name) # plantgate test") }
        try (kept + ["\(address) \(name) # plantgate test"]).joined(separator: "\n").appending("\n")
            .write(toFile: Self.path, atomically: true, encoding: .utf8)
    }

    /// Removes the alias's line.
    public func remove() {
        let kept = Self.lines().filter { !$0.hasSuffix(" \(name) # plantgate test") }
        try? kept.joined(separator: "\n").appending("\n").write(toFile: Self.path, atomically: true, encoding: .utf8)
    }

    private static func lines() -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).filter { !$0.isEmpty }
    }
}
