extension LedgerVerifier {
    /// Verifies period records captured from MQTT (one message per line; a `mosquitto_sub -v` topic before
    /// the JSON is skipped). Events are not published, so entry numbers have gaps and links cannot be
    /// followed: each record's hash and signature are checked against the trusted keys, and each line and
    /// period kind's `seq` must go up by one. A repeated record (QoS 1 delivers at least once) counts once.
    public func verifyRecords(_ lines: some Sequence<[UInt8]>) -> Result {
        let keys = Dictionary(trustedKeys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var seen: Set<String> = []
        var recordSeqs = RecordSeqs()
        return Self.walk(lines, skippingTopics: true) { entry, result in
            let header = entry.header
            guard let key = keys[header.keyID] else { return .unknownKey(header.keyID) }
            if !key.verifies(entry.signature, of: entry.signedBytes) { return .badSignature(keyID: key.id) }
            guard seen.insert(entry.hash).inserted else { return nil }
            if let problem = recordSeqs.count(header, into: &result) { return problem }
            if !result.keyIDs.contains(key.id) { result.keyIDs.append(key.id) }
            result.firstNumber = min(result.firstNumber ?? header.number, header.number)
            result.lastNumber = max(result.lastNumber ?? header.number, header.number)
            result.verified += 1
            return nil
        }
    }
}
