/// Checks a sequence of entries: each hash, signature, link and entry number, the keys (a change only
/// through a key-rotated entry signed with the old key) and the record seq of each line and period kind.
/// Stops at the first broken entry: everything after it is unproven.
public struct LedgerVerifier: Sendable {
    /// Keys trusted from outside the entries (an export header, a key read off the box).
    public var trustedKeys: [LedgerPublicKey]

    public init(trustedKeys: [LedgerPublicKey] = []) {
        self.trustedKeys = trustedKeys
    }

    /// What a verification found.
    public struct Result: Sendable, Hashable {
        /// Entries that verified, in order (all of them when `problem` is nil).
        public var verified = 0
        /// Entry numbers of the first and last verified entries.
        public var firstNumber: UInt64?
        public var lastNumber: UInt64?
        /// Every key that signed a verified entry, in order of first use.
        public var keyIDs: [String] = []
        /// Verified period records and events.
        public var periodRecords = 0
        public var events = 0
        /// The first broken entry; nil when everything verified.
        public var problem: LedgerProblem?
    }

    /// Verifies `lines` (one entry each) in order.
    public func verify(_ lines: some Sequence<[UInt8]>) -> Result {
        var known = Dictionary(trustedKeys.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var active: LedgerPublicKey?
        var previous: LedgerEntry?
        var recordSeqs = RecordSeqs()
        return Self.walk(lines) { entry, result in
            let header = entry.header
            if let previous {
                if header.site != previous.header.site { return .siteChanged(expected: previous.header.site, found: header.site) }
                let expected = previous.header.number + 1
                if header.number != expected { return .numberGap(expected: expected, found: header.number) }
                if header.previousHash != previous.hash { return .brokenLink(expectedPrev: previous.hash, found: header.previousHash) }
            } else if header.number == 1, header.previousHash != LedgerChain.genesisHash {
                return .brokenLink(expectedPrev: LedgerChain.genesisHash, found: header.previousHash)
            }
            if active == nil {
                if let key = known[header.keyID] {
                    active = key
                } else if header.event == "key-created",
                          let announced = header.announcedKey.flatMap(LedgerPublicKey.init(base64:)), announced.id == header.keyID {
                    // A chain that starts at its key-created entry carries its own key; the key id
                    // printed by the box (or published on MQTT) is what an auditor compares.
                    active = announced
                    known[announced.id] = announced
                }
            }
            guard let key = active else { return .unknownKey(header.keyID) }
            if header.keyID != key.id { return .wrongKey(signedWith: header.keyID, active: key.id) }
            if !key.verifies(entry.signature, of: entry.signedBytes) { return .badSignature(keyID: key.id) }
            if let problem = recordSeqs.count(header, into: &result) { return problem }
            if header.event == "key-rotated" {
                guard let next = header.announcedKey.flatMap(LedgerPublicKey.init(base64:)) else {
                    return .malformed("key-rotated entry without a valid public_key")
                }
                active = next
                known[next.id] = next
            }
            if !result.keyIDs.contains(key.id) { result.keyIDs.append(key.id) }
            result.firstNumber = result.firstNumber ?? header.number
            result.lastNumber = header.number
            result.verified += 1
            previous = entry
            return nil
        }
    }
}
