import Foundation
import Gateway
#if canImport(Glibc)
import Glibc
#endif

/// The CLI's side of the control socket: one JSON line out, one JSON line back (see `ControlProtocol`).
///
/// Blocking: connects, writes and reads on the calling thread, bounded by `timeout`. Call it through
/// `BlockingWork`.
struct ControlClient: Sendable {
    /// The daemon's Unix socket.
    var socketPath: String
    /// Longest wait for the daemon's answer.
    var timeout: Double = 5

    /// The largest answer accepted (a plant with thousands of tags stays far below).
    static let maximumAnswer = 64 << 20

    /// Sends `request` and returns the daemon's answer line, without the newline.
    func exchange(_ request: ControlRequest) throws(ControlClientError) -> Data {
        let fd = try connectSocket()
        defer { close(fd) }
        var line: Data
        do {
            line = try JSONEncoder().encode(request)
        } catch {
            throw ControlClientError(kind: .protocolError, socketPath: socketPath, detail: "cannot encode the request: \(error)")
        }
        line.append(0x0A)
        do {
            try send(line, on: fd)
        } catch {
            // A daemon over its connection bound writes why and closes before reading: that answer is the
            // one to show, not the broken pipe of our own write.
            if let refusal = try? receiveLine(from: fd) { return refusal }
            throw error
        }
        return try receiveLine(from: fd)
    }

    /// Sends `request` and decodes the answer as `Answer`; a `ControlFailure` answer becomes `.daemonFailure`.
    func ask<Answer: Decodable>(_ request: ControlRequest, expecting: Answer.Type) throws(ControlClientError) -> (Answer, Data) {
        let line = try exchange(request)
        let decoder = ControlProtocol.decoder()
        if let answer = try? decoder.decode(Answer.self, from: line) { return (answer, line) }
        if let failure = try? decoder.decode(ControlFailure.self, from: line) {
            throw ControlClientError(kind: .daemonFailure, socketPath: socketPath, detail: failure.error)
        }
        let preview = String(decoding: line.prefix(200), as: UTF8.self)
        throw ControlClientError(kind: .protocolError, socketPath: socketPath,
                                 detail: "the answer is not a \(Answer.self) of protocol version \(ControlProtocol.version): \(preview)")
    }

    private func connectSocket() throws(ControlClientError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(socketPath.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !pathBytes.isEmpty, pathBytes.count < capacity else {
            throw ControlClientError(kind: .protocolError, socketPath: socketPath,
                                     detail: "a socket path must be 1…\(capacity - 1) bytes long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw ControlClientError(kind: .failed(errno: errno), socketPath: socketPath, detail: "socket()")
        }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        let code = errno
        guard result == 0 else {
            close(fd)
            throw ControlClientError(connectErrno: code, socketPath: socketPath)
        }
        return fd
    }

    private func send(_ data: Data, on fd: Int32) throws(ControlClientError) {
        var sent = 0
        while sent < data.count {
            let count = data.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress.map { $0 + sent }, data.count - sent, Int32(MSG_NOSIGNAL))
            }
            let code = errno
            if count < 0 {
                if code == EINTR { continue }
                throw ControlClientError(kind: code == EAGAIN ? .timedOut : .failed(errno: code), socketPath: socketPath, detail: "sending the request")
            }
            sent += count
        }
    }

    private func receiveLine(from fd: Int32) throws(ControlClientError) -> Data {
        var answer = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            let code = errno
            if count < 0 {
                if code == EINTR { continue }
                throw ControlClientError(kind: code == EAGAIN ? .timedOut : .failed(errno: code), socketPath: socketPath, detail: "reading the answer")
            }
            if count == 0 { break }
            answer.append(contentsOf: chunk[0..<count])
            if let newline = answer.firstIndex(of: 0x0A) { return answer[answer.startIndex..<newline] }
            guard answer.count <= Self.maximumAnswer else {
                throw ControlClientError(kind: .protocolError, socketPath: socketPath, detail: "the answer is larger than \(Self.maximumAnswer >> 20) MB")
            }
        }
        guard !answer.isEmpty else {
            throw ControlClientError(kind: .protocolError, socketPath: socketPath, detail: "the daemon closed the connection without answering")
        }
        return answer
    }
}
