import Foundation
import POSIX

/// One client of the control socket, served by `ControlServer`'s poll loop: what it sent so far, the
/// answer it still has to take, and until when it may take its time.
struct ControlConnection {
    /// What a read or a write did to the connection.
    enum Progress {
        /// Nothing more to do now; wait for the socket.
        case waiting
        /// The request line is complete: answer it.
        case requestComplete([UInt8])
        /// Done (answered, or the client went away): close it.
        case finished
    }

    /// The largest request line read; a real one is under 200 bytes.
    static let maximumRequest = 65_536

    let fd: Int32
    /// Monotonic milliseconds after which the connection is closed, answered or not.
    var deadline: UInt64
    private var received: [UInt8] = []
    private var answer: [UInt8] = []
    private var sent = 0

    init(fd: Int32, deadline: UInt64) {
        self.fd = fd
        self.deadline = deadline
    }

    /// Whether the request was answered and the answer is on its way out.
    var isAnswering: Bool { !answer.isEmpty }

    /// Reads what arrived (the socket is non-blocking).
    mutating func read() -> Progress {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let (count, failure) = chunk.withUnsafeMutableBytes { UnixSocket.receive(fd, into: $0) }
        if let failure { return failure.wouldBlock ? .waiting : .finished }
        received.append(contentsOf: chunk[0..<count])
        if let end = received.firstIndex(of: UInt8(ascii: "\n")) { return .requestComplete(Array(received[..<end])) }
        // A client that closes its side without a newline, or sends too much, gets an answer to what it sent.
        if count == 0 || received.count >= Self.maximumRequest { return .requestComplete(received) }
        return .waiting
    }

    /// Starts sending `bytes` (one JSON line).
    mutating func answer(with bytes: [UInt8]) -> Progress {
        answer = bytes
        answer.append(UInt8(ascii: "\n"))
        sent = 0
        return write()
    }

    /// Sends what the socket takes now.
    mutating func write() -> Progress {
        while sent < answer.count {
            let (count, failure) = answer.withUnsafeBytes { UnixSocket.send(fd, $0, from: sent) }
            if let failure { return failure.wouldBlock ? .waiting : .finished }
            sent += count
        }
        return .finished
    }
}
