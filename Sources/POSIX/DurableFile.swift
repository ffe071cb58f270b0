import Glibc

/// Small files that must survive a crash or a power cut whole: the content is written and `fsync`ed, a
/// replacement goes through `<path>.tmp` and `rename`, and the directory is `fsync`ed so the new name is on
/// disk too. A crash leaves the old content or the new one, never a torn file.
public enum DurableFile {
    /// Writes `bytes` to a new file (`O_EXCL`: an existing file is an error) with `mode` from the start, so
    /// the content is never readable by others, not even briefly. A failed write removes the file.
    public static func create(_ path: String, bytes: [UInt8], mode: mode_t) throws(SystemCallError) {
        try write(bytes, to: path, flags: O_EXCL, mode: mode)
        syncDirectory(containing: path)
    }

    /// Replaces the content of `path` (creating it) with `bytes`, atomically.
    public static func replace(_ path: String, bytes: [UInt8], mode: mode_t) throws(SystemCallError) {
        let temporary = path + ".tmp"
        try write(bytes, to: temporary, flags: O_TRUNC, mode: mode)
        try move(temporary, to: path)
    }

    /// Renames `source` to `destination` (replacing it), durably.
    public static func move(_ source: String, to destination: String) throws(SystemCallError) {
        try SystemCall.run("rename") { rename(source, destination) }
        syncDirectory(containing: destination)
    }

    /// Removes `path`; a file that is not there is no error.
    public static func remove(_ path: String) throws(SystemCallError) {
        let (_, code) = SystemCall.attempt { unlink(path) }
        guard code == 0 || code == ENOENT else { throw SystemCallError(call: "unlink", code: code) }
    }

    /// `fsync` of the directory holding `path`, so a new or renamed entry in it survives a power cut.
    /// Best effort: some file systems refuse it, and the data itself is already on disk.
    public static func syncDirectory(containing path: String) {
        let directory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let (fd, _) = SystemCall.attempt { open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { return }
        _ = SystemCall.attempt { fsync(fd) }
        close(fd)
    }

    private static func write(_ bytes: [UInt8], to path: String, flags: Int32, mode: mode_t) throws(SystemCallError) {
        let fd = try SystemCall.run("open") { open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, mode) }
        do throws(SystemCallError) {
            var offset = 0
            while offset < bytes.count {
                let (written, code) = bytes.withUnsafeBytes { buffer in
                    SystemCall.attempt { Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset) }
                }
                guard code == 0 else { throw SystemCallError(call: "write", code: code) }
                offset += written
            }
            try SystemCall.run("fsync") { fsync(fd) }
            close(fd)
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
    }
}
