import Crypto

/// Who signs ledger entries. One small protocol so that a key held in a TPM or HSM can replace the
/// file key later without touching the chain or the verifier.
public protocol LedgerSigner: Sendable {
    /// The Ed25519 public key (32 raw bytes) that verifies this signer's signatures.
    var publicKey: LedgerPublicKey { get }
    /// The Ed25519 signature (64 bytes) of exactly `message`.
    func sign(_ message: [UInt8]) throws -> [UInt8]
}

/// A signer whose private key is in memory (loaded from the key file in the state directory).
public struct SoftwareSigner: LedgerSigner {
    /// The 32-byte seed to store in the key file (kept as bytes: swift-crypto's key type is not Sendable).
    public let seed: [UInt8]
    /// The key that verifies this signer.
    public let publicKey: LedgerPublicKey

    /// A new random key.
    public init() {
        self.init(key: Curve25519.Signing.PrivateKey())
    }

    /// The key whose 32-byte seed is `seed` (the key file's content).
    public init(seed: [UInt8]) throws {
        self.init(key: try Curve25519.Signing.PrivateKey(rawRepresentation: seed))
    }

    private init(key: Curve25519.Signing.PrivateKey) {
        seed = Array(key.rawRepresentation)
        publicKey = LedgerPublicKey(raw: Array(key.publicKey.rawRepresentation))
    }

    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        Array(try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: message))
    }
}
