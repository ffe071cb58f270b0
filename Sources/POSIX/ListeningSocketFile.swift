import Glibc

/// A listening Unix stream socket with a name in the file system (the control socket): bound over a stale
/// socket file, never over one another process still serves, and removed at close only while the name is
/// still this socket's.
public struct ListeningSocketFile: Sendable {
    /// Why a path cannot be listened on.
    public enum Failure: Error, Sendable, Equatable {
        /// Longer than `sockaddr_un` holds.
        case pathTooLong
        /// Another process accepts connections there.
        case inUse
        case system(SystemCallError)
    }

    /// The listening, non-blocking descriptor.
    public let fd: Int32
    public let path: String
    /// The bound file's device and inode: another process may bind the same path later.
    private let device: UInt64
    private let inode: UInt64

    /// Creates the missing directories of `path`, binds it with `mode` and listens with room for `backlog`.
    public static func bind(path: String, mode: mode_t, backlog: Int32) throws(Failure) -> ListeningSocketFile {
        guard let address = UnixSocketAddress(path: path) else { throw .pathTooLong }
        makeDirectories(leadingTo: path)
        if isServed(address) { throw .inUse }
        unlink(path)
        do throws(SystemCallError) {
            let fd = try UnixSocket.open(.stream, nonBlocking: true)
            do throws(SystemCallError) {
                try UnixSocket.listen(fd, at: address, backlog: backlog)
                try SystemCall.run("chmod") { chmod(path, mode) }
                var info = stat()
                try SystemCall.run("stat") { stat(path, &info) }
                return ListeningSocketFile(fd: fd, path: path, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            } catch {
                Glibc.close(fd)
                throw error
            }
        } catch {
            throw .system(error)
        }
    }

    /// Closes the socket and removes its file, unless another socket has been bound to the path since.
    public func close() {
        Glibc.close(fd)
        var info = stat()
        if stat(path, &info) == 0, UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode { unlink(path) }
    }

    /// Whether a process accepts connections at `address` (a live server, not a stale file).
    private static func isServed(_ address: UnixSocketAddress) -> Bool {
        guard let probe = try? UnixSocket.open(.stream) else { return false }
        defer { Glibc.close(probe) }
        return (try? UnixSocket.connect(probe, to: address)) != nil
    }

    /// `mkdir -p` of the directory holding `path`; best effort: a failure shows up as bind's.
    private static func makeDirectories(leadingTo path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        var prefix = ""
        for (index, part) in parts.enumerated() {
            prefix += index == 0 ? String(part) : "/" + part
            if !prefix.isEmpty { mkdir(prefix, 0o755) }
        }
    }
}
