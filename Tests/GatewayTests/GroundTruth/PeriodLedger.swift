import Foundation
import TestSupport

/// One closed period record as published on `{prefix}/{site}/lines/{line}/periods/{kind}`.
struct PublishedPeriod {
    struct Figure {
        var value: Double?
        var quality: String
        var coverage: Double
        var estimated: Double
        var reasons: [String]
    }

    var line: String
    var period: String
    var start: Double
    var end: Double
    var label: String
    var seq: Int
    var figures: [String: Figure]
    var reasons: [String]
    /// The payload as published, to tell an identical repeat from a different record under the same seq.
    var text: String

    init?(json text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let line = object["line"] as? String, let period = object["period"] as? String,
            let start = (object["start"] as? String).flatMap(Self.epoch), let end = (object["end"] as? String).flatMap(Self.epoch),
            let label = object["label"] as? String, let seq = object["seq"] as? Int,
            let metrics = object["metrics"] as? [String: Any]
        else { return nil }
        self.line = line
        self.period = period
        self.start = start
        self.end = end
        self.label = label
        self.seq = seq
        self.text = text
        reasons = object["reasons"] as? [String] ?? []
        var figures: [String: Figure] = [:]
        for (id, raw) in metrics {
            guard let metric = raw as? [String: Any] else { continue }
            figures[id] = Figure(value: metric["v"] as? Double, quality: metric["q"] as? String ?? "?",
                                 coverage: metric["cov"] as? Double ?? .nan, estimated: metric["est"] as? Double ?? .nan,
                                 reasons: metric["reasons"] as? [String] ?? [])
        }
        self.figures = figures
    }

    /// The value of a metric, or a failure naming the record.
    func value(_ id: String) throws -> Double {
        guard let value = figures[id]?.value else { throw TestSupportError("\(line) \(period) \(label) seq \(seq) has no value for \(id)") }
        return value
    }

    static func epoch(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970
    }
}

/// Every period record a recorder saw, in arrival order, with the checks on their sequence numbers.
struct PeriodLedger {
    let records: [PublishedPeriod]

    init(records: [PublishedPeriod]) { self.records = records }

    init(_ recorder: TopicRecorder, prefix: String) {
        records = recorder.messages.filter { $0.topic.hasPrefix(prefix) && $0.topic.contains("/periods/") }
            .compactMap { PublishedPeriod(json: $0.text) }
    }

    /// The first record of `line`'s `period` labelled `label` (a repeat after a restart carries the same seq).
    func first(_ line: String, _ period: String, label: String) -> PublishedPeriod? {
        records.first { $0.line == line && $0.period == period && $0.label == label }
    }

    /// The first record of each distinct seq of `line`'s `period` whose span lies inside [from, to].
    func distinct(_ line: String, _ period: String, within from: Double, _ to: Double) -> [PublishedPeriod] {
        var seen = Set<Int>()
        return records.filter { $0.line == line && $0.period == period && $0.start >= from && $0.end <= to && seen.insert($0.seq).inserted }
            .sorted { $0.start < $1.start }
    }

    /// Seqs missing between the lowest and highest seen, per "line/period".
    func missingSeqs() -> [String: [Int]] {
        var byStream: [String: Set<Int>] = [:]
        for record in records { byStream["\(record.line)/\(record.period)", default: []].insert(record.seq) }
        var missing: [String: [Int]] = [:]
        for (stream, seqs) in byStream {
            guard let low = seqs.min(), let high = seqs.max() else { continue }
            let gaps = (low...high).filter { !seqs.contains($0) }
            if !gaps.isEmpty { missing[stream] = gaps }
        }
        return missing
    }

    /// Seqs ("line/period/seq") published more than once with different payloads: a period closed twice
    /// from different state rather than the same record sent again.
    func conflictingRepeats() -> [String] {
        var bySeq: [String: Set<String>] = [:]
        // A replay from the outbox spool is marked `"hist":true` and otherwise carries the same bytes.
        for record in records {
            bySeq["\(record.line)/\(record.period)/\(record.seq)", default: []].insert(record.text.replacingOccurrences(of: #""hist":true,"#, with: ""))
        }
        return bySeq.filter { $0.value.count > 1 }.keys.sorted()
    }

    /// Records repeated with the same seq, and whether every repeat names the same period.
    func duplicates() -> (count: Int, consistent: Bool) {
        var bySeq: [String: [PublishedPeriod]] = [:]
        for record in records { bySeq["\(record.line)/\(record.period)/\(record.seq)", default: []].append(record) }
        let repeated = bySeq.values.filter { $0.count > 1 }
        let consistent = repeated.allSatisfy { group in group.allSatisfy { $0.label == group[0].label && $0.start == group[0].start } }
        return (repeated.reduce(0) { $0 + $1.count - 1 }, consistent)
    }
}
