import Glibc

/// A Unix-domain socket address (`sockaddr_un`) and its length: a path, or an abstract name.
public struct UnixSocketAddress: Sendable {
    /// The most bytes `sun_path` holds, its closing NUL included (108 on Linux).
    public static let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)

    private var storage = sockaddr_un()
    private let length: socklen_t

    /// A filesystem path; nil when it is empty or too long for `sun_path` with its NUL.
    public init?(path: String) {
        var bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < Self.capacity else { return nil }
        bytes.append(0)
        self.init(pathBytes: bytes)
    }

    /// The exact `sun_path` bytes: a path with its trailing NUL, or an abstract name with its leading NUL
    /// (and no trailing one, the length covering exactly the name). Nil when they do not fit.
    public init?(pathBytes: [UInt8]) {
        guard !pathBytes.isEmpty, pathBytes.count <= Self.capacity else { return nil }
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? MemoryLayout<sa_family_t>.size
        length = socklen_t(pathOffset + pathBytes.count)
    }

    /// Calls `body` with the address as the `sockaddr` pointer and length the socket calls take.
    public func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
