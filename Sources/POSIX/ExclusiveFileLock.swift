import Glibc

/// An exclusive `flock` on a file, taken without waiting and held until this object goes (or the process
/// ends, however it ends: the kernel drops the lock). The file says who holds it: the holder writes a note
/// (its pid), and a process that finds the lock taken reads that note back.
public final class ExclusiveFileLock: Sendable {
    /// Why the lock was not taken.
    public enum Failure: Error, Sendable, Hashable {
        /// Another open file holds it; `note` is what the holder wrote (empty if nothing yet).
        case held(note: String)
        case system(SystemCallError)
    }

    private let descriptor: Int32

    /// Opens (creating with `mode`) and locks `path`.
    public init(path: String, mode: mode_t = 0o644) throws(Failure) {
        let (fd, openError) = SystemCall.attempt { open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw .system(SystemCallError(call: "open", code: openError)) }
        let (_, lockError) = SystemCall.attempt { flock(fd, LOCK_EX | LOCK_NB) }
        guard lockError == 0 else {
            let note = Self.read(fd)
            close(fd)
            throw lockError == EWOULDBLOCK ? .held(note: note) : .system(SystemCallError(call: "flock", code: lockError))
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Replaces the file's content with `note`, for the next process that finds the lock taken.
    public func write(note: String) {
        let bytes = Array(note.utf8)
        _ = SystemCall.attempt { ftruncate(descriptor, 0) }
        _ = bytes.withUnsafeBytes { buffer in SystemCall.attempt { pwrite(descriptor, buffer.baseAddress, buffer.count, 0) } }
    }

    private static func read(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 64)
        let (count, _) = buffer.withUnsafeMutableBytes { bytes in SystemCall.attempt { pread(fd, bytes.baseAddress, bytes.count, 0) } }
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    }
}
