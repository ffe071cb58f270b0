import Crypto

/// An Ed25519 public key and its short id, the form in which auditors compare keys.
public struct LedgerPublicKey: Sendable, Hashable {
    /// The 32 raw bytes.
    public let raw: [UInt8]

    /// The key from its 32 raw bytes.
    public init(raw: [UInt8]) {
        self.raw = raw
    }

    /// The key from its standard Base64 text (as published and exported).
    public init?(base64: String) {
        guard let raw = Base64.decode(base64), raw.count == 32 else { return nil }
        self.raw = raw
    }

    /// `ed25519:` and the first 16 hex digits of SHA-256 over the raw key: short enough to read out
    /// over the phone, long enough that no one makes a second key with the same id.
    public var id: String { "ed25519:" + String(Hex.string(SHA256.hash(data: raw)).prefix(16)) }

    /// Standard Base64 of the raw key.
    public var base64: String { Base64.encode(raw) }

    /// True when `signature` is this key's Ed25519 signature of exactly `message`.
    public func verifies(_ signature: [UInt8], of message: some RandomAccessCollection<UInt8>) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(signature, for: Array(message))
    }
}
