import Foundation

/// The JSON of `{prefix}/{site}/status` from the publisher's start time (shape: `Payloads.status`).
enum StatusPayload {
    static func online(version: String, started: Date) -> [UInt8] {
        Payloads.status(online: true, version: version, startedWallNanos: wallNanos(started))
    }

    /// Used both as the last will and for the clean-shutdown message.
    static func offline(version: String, started: Date) -> [UInt8] {
        Payloads.status(online: false, version: version, startedWallNanos: wallNanos(started))
    }

    private static func wallNanos(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) * 1_000_000 }
}
