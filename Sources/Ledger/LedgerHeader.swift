import Foundation

/// The fields of an entry the chain rules look at, read from the signed bytes.
public struct LedgerHeader: Sendable, Hashable {
    /// Ledger format version (1).
    public var version: Int
    /// The site of the chain.
    public var site: String
    /// Entry number, +1 per entry in the site's one chain, from 1.
    public var number: UInt64
    /// `period` or `event`.
    public var kind: String
    /// When the entry was appended (RFC 3339, plant time).
    public var at: String
    /// Hash of the previous entry (64 zeros for the first).
    public var previousHash: String
    /// Id of the key that signed this entry.
    public var keyID: String
    /// For a period record: line, period kind and the record's own seq.
    public var line: String?
    public var period: String?
    public var recordSeq: UInt64?
    /// For a period record: the period's start as written in the record.
    public var periodStart: String?
    /// For an event: its name, and a public key it announces (key-created, key-rotated).
    public var event: String?
    public var announcedKey: String?

    init(json: [UInt8]) throws(LedgerProblem.Kind) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any] else {
            throw .malformed("signed bytes are not a JSON object")
        }
        guard let chain = object["ledger"] as? [String: Any] else { throw .malformed("no \"ledger\" chain fields") }
        guard let version = chain["v"] as? Int, let site = chain["site"] as? String,
              let number = (chain["n"] as? NSNumber)?.uint64Value, let kind = chain["kind"] as? String,
              let at = chain["at"] as? String, let previous = chain["prev"] as? String, let key = chain["key"] as? String else {
            throw .malformed("chain fields incomplete (need v, site, n, kind, at, prev, key)")
        }
        self.version = version
        self.site = site
        self.number = number
        self.kind = kind
        self.at = at
        previousHash = previous
        keyID = key
        line = object["line"] as? String
        period = object["period"] as? String
        recordSeq = (object["seq"] as? NSNumber)?.uint64Value
        periodStart = object["start"] as? String
        event = object["event"] as? String
        announcedKey = object["public_key"] as? String
        if kind == "period", line == nil || period == nil || recordSeq == nil {
            throw .malformed("period entry without line, period and seq")
        }
        if kind == "event", event == nil { throw .malformed("event entry without \"event\"") }
    }
}
