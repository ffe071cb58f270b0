/// The answer to a `rotate-key` control request (and what `plantgate ledger rotate-key` prints): the key
/// that signed until now, the new one, and the `key-rotated` entry that hands over. The rotation itself is
/// the daemon's (Gateway).
public struct LedgerRotation: Codable, Sendable, Hashable {
    public var oldKeyID: String
    public var keyID: String
    /// The new public key, standard Base64.
    public var publicKey: String
    /// Number of the `key-rotated` entry.
    public var entry: UInt64
    /// Where the old private key is kept.
    public var oldKeyFile: String

    public init(oldKeyID: String, keyID: String, publicKey: String, entry: UInt64, oldKeyFile: String) {
        self.oldKeyID = oldKeyID
        self.keyID = keyID
        self.publicKey = publicKey
        self.entry = entry
        self.oldKeyFile = oldKeyFile
    }

    /// The lines both programs print after a rotation, whoever did it.
    public var summary: [String] {
        ["old key id: \(oldKeyID)  (kept as \(oldKeyFile))",
         "new key id: \(keyID)",
         "public key: \(publicKey)  (Ed25519, 32 bytes, Base64)",
         "announced by entry n=\(entry), signed with the old key"]
    }
}
