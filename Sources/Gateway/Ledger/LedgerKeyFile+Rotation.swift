import Foundation
import Ledger
import POSIX

/// Key rotation on disk. The new key is written to `ledger.key.next` first; once the `key-rotated` entry
/// (signed with the old key) is stored, the old key moves to `ledger.key.<16 hex of its id>` (still 0600:
/// the box can show what signed its old entries) and the new one becomes `ledger.key`. A crash in between
/// is finished at the next open, from what the ledger's last entries say.
extension LedgerKeyFile {
    /// `ledger.key.next` in `directory`: a key made for a rotation, not yet announced.
    static func nextPath(in directory: String) -> String { path(in: directory) + ".next" }

    /// Where a retired key is kept: `ledger.key.` and the hex of its id.
    public static func retiredPath(in directory: String, of key: LedgerPublicKey) -> String {
        path(in: directory) + "." + key.id.replacingOccurrences(of: "ed25519:", with: "")
    }

    /// A new key in `ledger.key.next` (mode 0600 from the start), replacing an unannounced one.
    static func makeNext(in directory: String) throws -> SoftwareSigner {
        let path = nextPath(in: directory)
        try? DurableFile.remove(path)
        let signer = SoftwareSigner()
        try write(seed: signer.seed, to: path)
        return signer
    }

    /// After the announcement is stored: the old key aside, the new one in its place.
    static func promoteNext(in directory: String, retiring old: LedgerPublicKey) throws {
        let current = path(in: directory)
        do throws(SystemCallError) {
            try DurableFile.move(current, to: retiredPath(in: directory, of: old))
            try DurableFile.move(nextPath(in: directory), to: current)
        } catch {
            throw LedgerStoreError("cannot move the new ledger key into place in \(directory): \(error.reason); "
                + "plantgated finishes the rotation at its next start")
        }
    }

    /// Finishes or abandons a rotation a crash interrupted: `active` is the key id the ledger's last entry
    /// hands on (the announced key after a `key-rotated`, else the signer of the last entry).
    static func finishRotation(in directory: String, active: String) throws {
        let next = nextPath(in: directory)
        guard let seed = FileManager.default.contents(atPath: next) else { return }
        guard let signer = try? SoftwareSigner(seed: Array(seed)), signer.publicKey.id == active,
              let current = try? load(in: directory), current.publicKey.id != active else {
            try? DurableFile.remove(next)  // never announced (or already in place): the rotation did not happen
            return
        }
        try promoteNext(in: directory, retiring: current.publicKey)
    }

    /// Writes `seed` to a new file at `path` with mode 0600, durably.
    static func write(seed: [UInt8], to path: String) throws {
        // O_EXCL with mode 0600 from the start: the key is never readable by others, not even briefly.
        do throws(SystemCallError) {
            try DurableFile.create(path, bytes: seed, mode: 0o600)
        } catch {
            throw LedgerStoreError("cannot \(error.call == "open" ? "create" : "write") the ledger key \(path): \(error.reason); "
                + "check the state directory is writable by the service user")
        }
    }
}
