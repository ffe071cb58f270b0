import Foundation
import Glibc
import POSIX

/// One `plantgated` per state directory: an exclusive `flock` on `<state_dir>/plantgated.lock`, held
/// for the life of the process (the kernel drops it when the process ends, however it ends).
///
/// Two daemons on one state directory would share the spool, the engine state and the MQTT client id,
/// and both would drive the same RS-485 line. The second one finds the lock taken before it opens
/// anything else, and leaves everything as it found it.
public final class StateDirectoryLock: Sendable {
    /// The directory locked.
    public let directory: String
    private let lock: ExclusiveFileLock

    /// Takes the lock, creating the directory and the lock file if needed, and writes this pid in it.
    /// - Throws: `StateDirectoryLockError.held` naming the running daemon's pid when another process
    ///   holds it; `.system` when the file cannot be opened (permissions).
    public init(directory: String) throws(StateDirectoryLockError) {
        let path = Self.path(in: directory)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .system(directory: directory, reason: "\(error)")
        }
        do throws(ExclusiveFileLock.Failure) {
            lock = try ExclusiveFileLock(path: path)
        } catch {
            switch error {
            case .held(let note): throw .held(directory: directory, pid: Int32(note.trimmingCharacters(in: .whitespacesAndNewlines)))
            case .system(let failure): throw .system(directory: directory, reason: "\(failure.call) \(path): \(failure.reason)")
            }
        }
        // Only the holder writes: the file says who runs, for the next one that tries.
        lock.write(note: "\(getpid())\n")
        self.directory = directory
    }

    /// `<directory>/plantgated.lock`.
    public static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("plantgated.lock")
    }
}

/// Why the state directory could not be locked.
public enum StateDirectoryLockError: Error, Sendable, CustomStringConvertible {
    /// Another process holds the lock (its pid, when it had written it yet).
    case held(directory: String, pid: Int32?)
    /// The lock file could not be opened or locked.
    case system(directory: String, reason: String)

    public var description: String {
        switch self {
        case .held(let directory, let pid):
            "plantgated is already running (pid \(pid.map(String.init) ?? "unknown")) on state directory \(directory); "
                + "stop it first (systemctl stop plantgate), or give this instance its own state_dir, control_socket and mqtt.client_id"
        case .system(let directory, let reason):
            "state directory \(directory): cannot take the daemon lock: \(reason); check that it exists and is writable by the service user (StateDirectory=plantgate)"
        }
    }
}
