extension LedgerVerifier {
    /// Parses each line, checks its hash, then runs `check` on it; stops at the first problem. `check`
    /// updates the counts and returns what is wrong with the entry, if anything.
    static func walk(_ lines: some Sequence<[UInt8]>, skippingTopics: Bool = false,
                     _ check: (LedgerEntry, inout Result) -> LedgerProblem.Kind?) -> Result {
        var result = Result()
        var index = 0
        for var line in lines {
            index += 1
            // `mosquitto_sub -v` prints the topic and a space before the payload.
            if skippingTopics, let brace = line.firstIndex(of: UInt8(ascii: "{")), brace > 0 { line.removeSubrange(..<brace) }
            let entry: LedgerEntry
            do {
                entry = try LedgerEntry(bytes: line)
            } catch {
                result.problem = LedgerProblem(index: index, number: nil, kind: error)
                return result
            }
            let actual = Hex.sha256(entry.signedBytes)
            let problem = actual != entry.hash ? .hashMismatch(written: entry.hash, actual: actual) : check(entry, &result)
            if let problem {
                result.problem = LedgerProblem(index: index, number: entry.header.number, kind: problem)
                return result
            }
        }
        return result
    }

    /// The last record seq of each line and period kind: each must be the one before plus one.
    struct RecordSeqs {
        private var last: [String: UInt64] = [:]

        /// Counts a verified entry in `result`; the problem when it is a record out of sequence.
        mutating func count(_ header: LedgerHeader, into result: inout Result) -> LedgerProblem.Kind? {
            guard header.kind == "period", let line = header.line, let period = header.period, let seq = header.recordSeq else {
                result.events += 1
                return nil
            }
            let slot = line + "\u{0}" + period
            if let previous = last[slot], seq != previous + 1 {
                return .recordSeqGap(line: line, period: period, expected: previous + 1, found: seq)
            }
            last[slot] = seq
            result.periodRecords += 1
            return nil
        }
    }
}
