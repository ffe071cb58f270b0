import ESG
import Foundation

/// The JSON of `{prefix}/{site}/status`: `{"state":"online","version":"1.0.0","started":"2026-…Z"}`.
enum StatusPayload {
    static func online(version: String, started: Date) -> [UInt8] {
        make(state: "online", version: version, started: started)
    }

    /// Used both as the last will and for the clean-shutdown message.
    static func offline(version: String, started: Date) -> [UInt8] {
        make(state: "offline", version: version, started: started)
    }

    private static func make(state: String, version: String, started: Date) -> [UInt8] {
        let nanos = Int64((started.timeIntervalSince1970 * 1000).rounded()) * 1_000_000
        let text = #"{"state":"\#(state)","version":"\#(escaped(version))","started":"\#(UTCTimestamp.rfc3339(nanos))"}"#
        return Array(text.utf8)
    }

    private static func escaped(_ text: String) -> String {
        text.unicodeScalars.filter { $0.value >= 0x20 && $0 != "\"" && $0 != "\\" }.map(String.init).joined()
    }
}
