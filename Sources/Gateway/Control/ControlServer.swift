import Foundation
import Glibc
import Logging
import Synchronization

/// The daemon's side of the control socket: a Unix stream socket, one JSON-line request per
/// connection.
///
/// Each connection is served on a thread of its own (never on the cooperative pool), so a client that
/// connects and says nothing holds up nobody but itself: it gets `requestDeadline` to send its line.
/// At most `maximumClients` are served at once; one more is told why and closed at once. Answers are
/// composed one at a time (the parts they read are cheap to lock, and never contended by two clients).
public final class ControlServer: Sendable {
    /// Connections served at once; a watch loop or a monitoring script needs one each.
    public static let maximumClients = 32
    /// How long a client may take to send its request line, and to take its answer.
    static let requestDeadlineSeconds = 2

    public let path: String
    private let listener: Int32
    private let respond: @Sendable (ControlRequest) -> [UInt8]
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let clients = Atomic<Int>(0)
    private let answering = Mutex(())
    /// The socket file this server bound (device, inode): `stop` removes only that one.
    private let boundFile: (UInt64, UInt64)

    /// Binds `path` (replacing a stale socket, never one another process still serves), mode 0660 so
    /// the service's group can use it.
    public init(path: String, logger: Logger, respond: @escaping @Sendable (ControlRequest) -> [UInt8]) throws {
        self.path = path
        self.respond = respond
        self.logger = logger
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else { throw ControlSocketError.pathTooLong(path) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if Self.isServed(&address) { throw ControlSocketError.inUse(path) }
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ControlSocketError.system("socket", errno, path) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw ControlSocketError.system("bind", code, path)
        }
        chmod(path, 0o660)
        var info = stat()
        stat(path, &info)
        boundFile = (UInt64(info.st_dev), UInt64(info.st_ino))
        listener = fd
    }

    /// Whether a process accepts connections on the socket at `address` (a live daemon, not a stale file).
    private static func isServed(_ address: inout sockaddr_un) -> Bool {
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { close(probe) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    public func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "control"
        thread.start()
    }

    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        // Another daemon may have bound the path since (a second instance with another state directory).
        var info = stat()
        if stat(path, &info) == 0, (UInt64(info.st_dev), UInt64(info.st_ino)) == boundFile { unlink(path) }
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            var timeout = timeval(tv_sec: Self.requestDeadlineSeconds, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard clients.add(1, ordering: .relaxed).newValue <= Self.maximumClients else {
                clients.subtract(1, ordering: .relaxed)
                refuse(client)
                continue
            }
            let thread = Thread { [self] in
                serve(client)
                clients.subtract(1, ordering: .relaxed)
            }
            thread.name = "control-client"
            thread.start()
        }
    }

    /// Too many connections: the client is told why instead of waiting for nothing.
    private func refuse(_ client: Int32) {
        defer { close(client) }
        let failure = ControlFailure(
            error: "plantgated already serves \(Self.maximumClients) control connections; close idle ones "
                + "(a stuck status or watch, a script that connects and says nothing) and try again")
        var answer = (try? Array(JSONEncoder().encode(failure))) ?? []
        answer.append(UInt8(ascii: "\n"))
        send(answer, to: client)
        logger.warning("control socket: refused a client, \(Self.maximumClients) connections are open already")
    }

    /// One request, one answer. A client gets `requestDeadlineSeconds` to send its line.
    private func serve(_ client: Int32) {
        defer { close(client) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while received.count < 65_536, !received.contains(UInt8(ascii: "\n")) {
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: chunk[0..<count])
        }
        let line = received.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).first.map(Array.init) ?? []
        var answer: [UInt8]
        if let request = try? JSONDecoder().decode(ControlRequest.self, from: Data(line)) {
            answer = answering.withLock { _ in respond(request) }
        } else {
            let failure = ControlFailure(error: "not a control request (protocol v\(ControlProtocol.version)): send one JSON line like {\"command\":\"status\"}")
            answer = (try? Array(JSONEncoder().encode(failure))) ?? []
        }
        answer.append(UInt8(ascii: "\n"))
        send(answer, to: client)
    }

    /// Writes all of `bytes`, or gives up when the client stops taking them (`SO_SNDTIMEO`).
    private func send(_ bytes: [UInt8], to client: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(client, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
    }
}

/// Why the control socket could not be set up.
public enum ControlSocketError: Error, CustomStringConvertible {
    case system(String, Int32, String)
    case pathTooLong(String)
    case inUse(String)

    public var description: String {
        switch self {
        case .inUse(let path):
            "control socket \(path) is served by another running plantgated; stop it first, or give this one its own control_socket"
        case .system(let call, let code, let path):
            "control socket \(path): \(call) failed: \(String(cString: strerror(code))); check that the directory exists and is writable by the service user (RuntimeDirectory=plantgate)"
        case .pathTooLong(let path):
            "control socket path \(path) is longer than a Unix socket allows (107 bytes): choose a shorter control_socket"
        }
    }
}
