import Foundation

/// Closed period records read from a JSON-lines file: the payloads of `.../lines/{line}/periods/{kind}`,
/// one per line (as `mosquitto_sub -t '.../periods/day' > days.jsonl` saves them).
struct PeriodRecordFile {
    /// One usable record: its start, end and the metric values asked for.
    struct Row {
        var start: String
        var end: String
        var values: [Double]
    }

    struct Selection {
        var rows: [Row] = []
        /// Records of the line and period kind left out, with why (`2026-11-03: product_t is bad`).
        var skipped: [String] = []
    }

    /// A line of the file that is not a period record, named by file:line.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// Records of `line` and `period`, deduplicated by `seq`, with `metrics` (good or uncertain values only).
    static func read(path: String, line: String, period: String, metrics: [String]) throws -> Selection {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var selection = Selection()
        var seen = Set<Int>()
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let record = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw Malformed(description: "\(path):\(number + 1): not a JSON object; each line must be one period record payload")
            }
            guard record["line"] as? String == line, record["period"] as? String == period else { continue }
            guard let start = record["start"] as? String, let end = record["end"] as? String,
                  let all = record["metrics"] as? [String: Any] else {
                throw Malformed(description: "\(path):\(number + 1): a period record needs start, end and metrics")
            }
            if let seq = record["seq"] as? Int, !seen.insert(seq).inserted { continue }
            let label = record["label"] as? String ?? start
            var values: [Double] = []
            var why: String?
            for name in metrics {
                guard let metric = all[name] as? [String: Any] else { why = "no metric \(name)"; break }
                guard metric["q"] as? String != "bad", let value = metric["v"] as? Double, value.isFinite else {
                    why = "\(name) is \(metric["q"] as? String ?? "missing")"; break
                }
                values.append(value)
            }
            if let why { selection.skipped.append("\(label): \(why)") } else { selection.rows.append(Row(start: start, end: end, values: values)) }
        }
        return selection
    }
}
