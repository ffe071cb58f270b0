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
        let alias = "plantgate-test-meter"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "/etc/hosts"))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("127.0.0.1 \(alias) # added by the plantgate tests\n".utf8))
        return alias
    }
}
