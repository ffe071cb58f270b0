import Foundation
import Ledger

/// The box's signing key: 32 raw seed bytes in `ledger.key` in the state directory, mode 0600 (only the
/// service user reads it). Created on first start; never copied anywhere else.
public enum LedgerKeyFile {
    /// `ledger.key` in `directory`.
    public static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("ledger.key")
    }

    /// The key in `directory`, and whether it was created just now.
    public static func loadOrCreate(in directory: String) throws -> (signer: SoftwareSigner, created: Bool) {
        let path = path(in: directory)
        if let seed = FileManager.default.contents(atPath: path) {
            return (try load(seed: Array(seed), path: path), false)
        }
        let signer = SoftwareSigner()
        try write(seed: signer.seed, to: path)
        return (signer, true)
    }

    /// The key in `directory` without creating one (for `plantgate ledger key`).
    public static func load(in directory: String) throws -> SoftwareSigner {
        let path = path(in: directory)
        guard let seed = FileManager.default.contents(atPath: path) else {
            throw LedgerStoreError("no ledger key at \(path) (or not readable by this user): plantgated creates it at its first start; run as the service user")
        }
        return try load(seed: Array(seed), path: path)
    }

    private static func load(seed: [UInt8], path: String) throws -> SoftwareSigner {
        guard seed.count == 32, let signer = try? SoftwareSigner(seed: seed) else {
            throw LedgerStoreError("\(path) is not a 32-byte Ed25519 key (\(seed.count) bytes); restore it from backup; a new key needs a rotation")
        }
        return signer
    }
}
