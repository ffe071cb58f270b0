import Foundation
import Ledger

/// The period records of a set of entries as CSV for spreadsheets: one row per record (a record is one
/// line and period), every metric as value, unit, quality, coverage and estimated share. Not verifiable
/// on its own: the JSON lines are the evidence, this is their reading copy.
enum LedgerCSV {
    static let fixed = ["n", "line", "period", "start", "end", "label", "seq", "reasons", "factor_ids", "entry_hash"]

    static func text(_ lines: [[UInt8]]) throws -> String {
        var rows: [(entry: LedgerEntry, object: [String: Any])] = []
        var metricIDs: [String] = []
        for line in lines {
            guard let entry = try? LedgerEntry(bytes: line), entry.header.kind == "period",
                  let object = (try? JSONSerialization.jsonObject(with: Data(entry.bytes))) as? [String: Any] else { continue }
            for id in (object["metrics"] as? [String: Any] ?? [:]).keys.sorted() where !metricIDs.contains(id) { metricIDs.append(id) }
            rows.append((entry, object))
        }
        var header = fixed
        for id in metricIDs { header += [id, id + "_unit", id + "_quality", id + "_coverage", id + "_estimated_share", id + "_reasons"] }
        var out = header.map(cell).joined(separator: ",") + "\n"
        for (entry, object) in rows {
            let factors = (object["factors"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }
                .compactMap { ($0.value as? [String: Any])?["id"] as? String }
            var fields: [String] = [
                "\(entry.header.number)", entry.header.line ?? "", entry.header.period ?? "",
                text(object["start"]), text(object["end"]), text(object["label"]), "\(entry.header.recordSeq ?? 0)",
                (object["reasons"] as? [String] ?? []).joined(separator: " "), factors.joined(separator: " "), entry.hash,
            ]
            let metrics = object["metrics"] as? [String: Any] ?? [:]
            for id in metricIDs {
                let metric = metrics[id] as? [String: Any] ?? [:]
                fields += [text(metric["v"]), text(metric["u"]), text(metric["q"]), text(metric["cov"]), text(metric["est"]),
                           (metric["reasons"] as? [String] ?? []).joined(separator: " ")]
            }
            out += fields.map(cell).joined(separator: ",") + "\n"
        }
        return out
    }

    private static func text(_ value: Any?) -> String {
        switch value {
        case let string as String: string
        case let number as NSNumber: number.stringValue
        default: ""
        }
    }

    /// RFC 4180 quoting where needed.
    private static func cell(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
