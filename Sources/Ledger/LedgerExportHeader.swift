import Foundation

/// The first line of an export: what it is, the site, every public key of the chain, the range asked for.
/// Not signed: a verifier trusts its keys only as far as their ids match the ones the box shows.
public enum LedgerExportHeader {
    /// The field that marks the header line.
    public static let tag = "plantgate_ledger_export"

    /// The header line for an export of `site` with its `keys` and the asked range (nil: open).
    public static func line(site: String, keys: [LedgerPublicKey], from: String?, to: String?) -> String {
        let list = keys.map { "{\"key_id\":\"\($0.id)\",\"public_key\":\"\($0.base64)\"}" }.joined(separator: ",")
        let bound = { (value: String?) in value.map(LedgerJSON.quoted) ?? "null" }
        return "{\"\(tag)\":1,\"site\":\(LedgerJSON.quoted(site)),\"keys\":[\(list)],\"from\":\(bound(from)),\"to\":\(bound(to))}"
    }

    /// The keys of a header line; nil when `line` is not one.
    public static func keys(_ line: [UInt8]) -> [LedgerPublicKey]? {
        guard line.starts(with: Array("{\"\(tag)\"".utf8)),
              let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else { return nil }
        let keys = object["keys"] as? [[String: Any]] ?? []
        return keys.compactMap { ($0["public_key"] as? String).flatMap(LedgerPublicKey.init(base64:)) }
    }

    /// The keys the entries announce (key-created, key-rotated), oldest first.
    public static func announcedKeys(in lines: [[UInt8]]) -> [LedgerPublicKey] {
        var keys: [LedgerPublicKey] = []
        for line in lines {
            guard let header = try? LedgerEntry(bytes: line).header,
                  header.event == "key-created" || header.event == "key-rotated",
                  let key = header.announcedKey.flatMap(LedgerPublicKey.init(base64:)), !keys.contains(key) else { continue }
            keys.append(key)
        }
        return keys
    }
}
