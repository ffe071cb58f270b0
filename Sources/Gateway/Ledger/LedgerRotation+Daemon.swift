import ControlProtocol
import Foundation
import Ledger
import Logging

extension LedgerRotation {
    /// Rotates `ledger`'s key.
    public static func rotate(_ ledger: LedgerWriter) throws -> LedgerRotation {
        let (old, new, number) = try ledger.rotateKey()
        return LedgerRotation(oldKeyID: old.id, keyID: new.id, publicKey: new.base64, entry: number,
                              oldKeyFile: LedgerKeyFile.retiredPath(in: ledger.directory, of: old))
    }

    /// Rotates with the daemon stopped: under the state directory's lock, so it cannot start meanwhile
    /// (throws `StateDirectoryLockError.held` when it runs).
    public static func rotateStopped(directory: String, site: String) throws -> LedgerRotation {
        // Never start a ledger from here (as another user, perhaps): the daemon makes it at its first start.
        let path = LedgerDatabase.path(in: directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw LedgerStoreError(LedgerDatabase.missing(path) + " Its first start creates the key")
        }
        let lock = try StateDirectoryLock(directory: directory)
        return try withExtendedLifetime(lock) {
            let ledger = try LedgerWriter(directory: directory, site: site, logger: Logger(label: "plantgate.ledger"))
            defer { ledger.close() }
            return try rotate(ledger)
        }
    }

    /// The daemon's answer line: the rotation, or a `ControlFailure` saying why not.
    static func answer(_ ledger: LedgerWriter, encoder: JSONEncoder) -> [UInt8] {
        do {
            return try Array(encoder.encode(rotate(ledger)))
        } catch {
            return (try? Array(encoder.encode(ControlFailure(error: "key not rotated: \(error)")))) ?? []
        }
    }
}
