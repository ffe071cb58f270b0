import Foundation
import Glibc
import Logging
import Synchronization

/// The daemon's side of the control socket: a Unix stream socket, one JSON-line request per
/// connection, answered on a thread of its own (never on the cooperative pool).
public final class ControlServer: Sendable {
    public let path: String
    private let listener: Int32
    private let respond: @Sendable (ControlRequest) -> [UInt8]
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)

    /// Binds `path` (replacing a stale socket), mode 0660 so the service's group can use it.
    public init(path: String, logger: Logger, respond: @escaping @Sendable (ControlRequest) -> [UInt8]) throws {
        self.path = path
        self.respond = respond
        self.logger = logger
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ControlSocketError.system("socket", errno, path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            close(fd)
            throw ControlSocketError.pathTooLong(path)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let code = errno
            close(fd)
            throw ControlSocketError.system("bind", code, path)
        }
        chmod(path, 0o660)
        listener = fd
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
        unlink(path)
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            serve(client)
        }
    }

    /// One request, one answer. A client gets 2 s to send its line.
    private func serve(_ client: Int32) {
        defer { close(client) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
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
            answer = respond(request)
        } else {
            let failure = ControlFailure(error: "not a control request (protocol v\(ControlProtocol.version)): send one JSON line like {\"command\":\"status\"}")
            answer = (try? Array(JSONEncoder().encode(failure))) ?? []
        }
        answer.append(UInt8(ascii: "\n"))
        answer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = send(client, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
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

    public var description: String {
        switch self {
        case .system(let call, let code, let path):
            "control socket \(path): \(call) failed: \(String(cString: strerror(code))); check that the directory exists and is writable by the service user (RuntimeDirectory=plantgate)"
        case .pathTooLong(let path):
            "control socket path \(path) is longer than a Unix socket allows (107 bytes): choose a shorter control_socket"
        }
    }
}
