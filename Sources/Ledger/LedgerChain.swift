/// The head of a site's chain: the next entry number, the last entry's hash and the signer. Appending
/// makes the exact bytes that are stored, published and exported.
public struct LedgerChain: Sendable {
    /// The site whose chain this is.
    public let site: String
    /// Number of the next entry (1 for an empty chain).
    public private(set) var nextNumber: UInt64
    /// Hash of the last entry (64 zeros for an empty chain).
    public private(set) var lastHash: String
    /// Who signs the next entry.
    public private(set) var signer: any LedgerSigner

    /// The `prev` of entry 1.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// A chain continuing after `last` (nil: an empty chain).
    public init(site: String, signer: any LedgerSigner, after last: LedgerEntry? = nil) {
        self.site = site
        self.signer = signer
        nextNumber = (last?.header.number ?? 0) + 1
        lastHash = last?.hash ?? Self.genesisHash
    }

    /// Signs and links `object` (a JSON object: a period record or an event) as the next entry.
    ///
    /// - Parameters:
    ///   - kind: `period` or `event`.
    ///   - at: the append time, RFC 3339.
    public mutating func append(_ object: String, kind: String, at: String) throws -> LedgerEntry {
        var text = object
        precondition(text.last == "}", "ledger entries are JSON objects")
        text.removeLast()
        if text != "{" { text += "," }
        text += "\"ledger\":{\"v\":1,\"site\":" + LedgerJSON.quoted(site) + ",\"n\":\(nextNumber)"
        text += ",\"kind\":" + LedgerJSON.quoted(kind) + ",\"at\":" + LedgerJSON.quoted(at)
        text += ",\"prev\":\"" + lastHash + "\",\"key\":" + LedgerJSON.quoted(signer.publicKey.id) + "}"
        let signed = Array(text.utf8)
        let hash = Hex.sha256(signed)
        let signature = try signer.sign(signed)
        text += ",\"hash\":\"" + hash + "\",\"sig\":\"" + Base64.encode(signature) + "\"}"
        let entry: LedgerEntry
        do {
            entry = try LedgerEntry(bytes: Array(text.utf8))
        } catch {
            throw LedgerProblem(index: 0, number: nextNumber, kind: error)
        }
        nextNumber += 1
        lastHash = hash
        return entry
    }

    /// Appends an event.
    public mutating func append(_ event: LedgerEvent, at: String) throws -> LedgerEntry {
        try append(event.json, kind: "event", at: at)
    }

    /// Moves to `next`: the announcement is signed with the current key, every later entry with `next`.
    public mutating func rotate(to next: any LedgerSigner, at: String) throws -> LedgerEntry {
        let entry = try append(.keyRotated(to: next.publicKey), at: at)
        signer = next
        return entry
    }
}
