import ControlProtocol
import Foundation
import POSIX
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
        guard let address = UnixSocketAddress(path: socketPath) else {
            throw ControlClientError(kind: .protocolError, socketPath: socketPath,
                                     detail: "a socket path must be 1…\(UnixSocketAddress.capacity - 1) bytes long")
        }
        let fd: Int32
        do {
            fd = try UnixSocket.open(.stream)
        } catch {
            throw ControlClientError(kind: .failed(errno: error.code), socketPath: socketPath, detail: "socket()")
        }
        UnixSocket.setTimeouts(fd, seconds: timeout)
        do {
            try UnixSocket.connect(fd, to: address)
        } catch {
            close(fd)
            throw ControlClientError(connectErrno: error.code, socketPath: socketPath)
        }
        return fd
    }

    private func send(_ data: Data, on fd: Int32) throws(ControlClientError) {
        do {
            try UnixSocket.sendAll(fd, Array(data))
        } catch {
            throw ControlClientError(kind: error.wouldBlock ? .timedOut : .failed(errno: error.code), socketPath: socketPath, detail: "sending the request")
        }
    }

    private func receiveLine(from fd: Int32) throws(ControlClientError) -> Data {
        var answer = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let (count, failure) = chunk.withUnsafeMutableBytes { UnixSocket.receive(fd, into: $0) }
            if let failure {
                throw ControlClientError(kind: failure.wouldBlock ? .timedOut : .failed(errno: failure.code), socketPath: socketPath, detail: "reading the answer")
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
