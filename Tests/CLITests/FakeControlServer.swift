import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc

#endif

/// A stand-in for plantgated's control socket: answers every connection's request line with a canned
/// JSON line and remembers the requests.
final class FakeControlServer: Sendable {
    let path: String
    private let listener: Int32
    private let answer: @Sendable (String) -> String
    private let received = Mutex<[String]>([])

    /// Listens on a fresh socket in `directory`; `answer` maps a request line to the answer line.
    init(directory: String, answer: @escaping @Sendable (String) -> String) throws {
        path = directory + "/control.sock"
        self.answer = answer
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FakeControlServerError("socket() failed: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw FakeControlServerError("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (index, byte) in bytes.enumerated() { raw[index] = byte } }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            close(fd)
            throw FakeControlServerError("cannot listen on \(path): errno \(errno)")
        }
        listener = fd
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// The request lines received so far.
    var requests: [String] { received.withLock { $0 } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        unlink(path)
    }

    deinit {
        stop()
        close(listener)
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { if errno == EINTR { continue } else { return } }
            var request = [UInt8]()
            var byte: UInt8 = 0
            while read(client, &byte, 1) == 1, byte != 0x0A { request.append(byte) }
            let line = String(decoding: request, as: UTF8.self)
            received.withLock { $0.append(line) }
            let reply = Array((answer(line) + "\n").utf8)
            _ = reply.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            close(client)
        }
    }
}

struct FakeControlServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
