import Foundation
import Glibc

/// One `plantgated` per state directory: an exclusive `flock` on `<state_dir>/plantgated.lock`, held
/// for the life of the process (the kernel drops it when the process ends, however it ends).
///
/// Two daemons on one state directory would share the spool, the engine state and the MQTT client id,
/// and both would drive the same RS-485 line. The second one finds the lock taken before it opens
/// anything else, and leaves everything as it found it.
public final class StateDirectoryLock: Sendable {
    /// The directory locked.
    public let directory: String
    private let descriptor: Int32

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
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system(directory: directory, reason: "\(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.readPID(fd)
            close(fd)
            if code == EWOULDBLOCK { throw .held(directory: directory, pid: holder) }
            throw .system(directory: directory, reason: "lock \(path): \(String(cString: strerror(code)))")
        }
        // Only the holder writes: the file says who runs, for the next one that tries.
        let text = Array("\(getpid())\n".utf8)
        ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.directory = directory
        self.descriptor = fd
    }

    deinit { close(descriptor) }

    /// `<directory>/plantgated.lock`.
    public static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent("plantgated.lock")
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
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
