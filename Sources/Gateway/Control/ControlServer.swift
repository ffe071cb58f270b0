import ControlProtocol
import Dispatch
import Foundation
import Glibc
import Logging
import POSIX
import Synchronization

/// The daemon's side of the control socket: a Unix stream socket, one JSON-line request per
/// connection.
///
/// One thread of its own (never the cooperative pool) serves every connection with `poll`, so a client
/// that connects and says nothing holds up nobody: each gets `requestDeadlineMilliseconds` to send its
/// line and as long again to take the answer. At most `maximumClients` are open at once; one more is
/// told why and closed at once. No thread per client: the unit's `TasksMax` stays out of reach.
/// With no client connected the thread sleeps in `poll` without a timeout; `stop` wakes it through a
/// pipe and waits for it to end.
public final class ControlServer: Sendable {
    /// Connections served at once; a watch loop or a monitoring script needs one each.
    public static let maximumClients = 64
    /// How long a client may take to send its request line, and then to take its answer.
    static let requestDeadlineMilliseconds: UInt64 = 2_000

    public let path: String
    private let listener: Int32
    private let respond: @Sendable (ControlRequest) -> [UInt8]
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let thread = Mutex<JoinableThread?>(nil)
    /// Written by `stop` to wake the thread; its read end sits in every `poll`.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let refusals = Atomic<Int>(0)
    private let socket: ListeningSocketFile

    /// Binds `path` (replacing a stale socket, never one another process still serves), mode 0660 so
    /// the service's group can use it.
    public init(path: String, logger: Logger, respond: @escaping @Sendable (ControlRequest) -> [UInt8]) throws {
        self.path = path
        self.respond = respond
        self.logger = logger
        let socket: ListeningSocketFile
        do {
            socket = try ListeningSocketFile.bind(path: path, mode: 0o660, backlog: 64)
        } catch {
            switch error {
            case .pathTooLong: throw ControlSocketError.pathTooLong(path)
            case .inUse: throw ControlSocketError.inUse(path)
            case .system(let failure): throw ControlSocketError.system(failure.call, failure.code, path)
            }
        }
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            let code = errno
            socket.close()
            throw ControlSocketError.system("pipe", code, path)
        }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(pipeEnds[1], F_SETFL, O_NONBLOCK)
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        self.socket = socket
        listener = socket.fd
    }

    /// Starts serving on a thread of its own; does nothing if it already serves.
    public func start() throws(ControlSocketError) {
        guard thread.withLock({ $0 == nil }) else { return }
        do throws(SystemCallError) {
            let started = try JoinableThread(name: "control") { [self] in acceptLoop() }
            thread.withLock { $0 = started }
        } catch {
            throw ControlSocketError.system(error.call, error.code, path)
        }
    }

    /// Wakes the thread, waits for it to close its connections and end, then closes the socket.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        thread.withLock { $0 }?.join()
        close(wakeRead)
        close(wakeWrite)
        // Another daemon may have bound the path since (a second instance with another state directory).
        socket.close()
    }

    private func acceptLoop() {
        var connections: [ControlConnection] = []
        var fds: [pollfd] = []
        defer { for connection in connections { close(connection.fd) } }
        while !stopped.load(ordering: .relaxed) {
            let beforePoll = MonotonicClock.milliseconds()
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: listener, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            for connection in connections {
                fds.append(pollfd(fd: connection.fd, events: Int16(connection.isAnswering ? POLLOUT : POLLIN), revents: 0))
            }
            // Without a client there is nothing to time out: sleep until a connection or `stop`.
            let timeout = connections.map(\.deadline).min().map { Int32(clamping: $0 > beforePoll ? $0 - beforePoll : 0) } ?? -1
            guard poll(&fds, nfds_t(fds.count), timeout) >= 0 || errno == EINTR else { return }
            // The sleep may have lasted any time: deadlines are judged, and new ones set, from now.
            let now = MonotonicClock.milliseconds()
            if fds[1].revents != 0 { return }
            for index in connections.indices.reversed() where fds[index + 2].revents != 0 || connections[index].deadline <= now {
                if !advance(&connections[index], now: now, timedOut: connections[index].deadline <= now) {
                    close(connections[index].fd)
                    connections.remove(at: index)
                }
            }
            if fds[0].revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { return }
            if fds[0].revents & Int16(POLLIN) != 0 { acceptWaiting(into: &connections, now: now) }
        }
    }

    /// Takes every waiting connection, up to the bound.
    private func acceptWaiting(into connections: inout [ControlConnection], now: UInt64) {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            guard connections.count < Self.maximumClients else {
                refuse(client)
                continue
            }
            connections.append(ControlConnection(fd: client, deadline: now + Self.requestDeadlineMilliseconds))
        }
    }

    /// Reads, answers or writes on one connection; false when it is done with.
    private func advance(_ connection: inout ControlConnection, now: UInt64, timedOut: Bool) -> Bool {
        if timedOut { return false }
        let progress = connection.isAnswering ? connection.write() : connection.read()
        switch progress {
        case .waiting:
            return true
        case .finished:
            return false
        case .requestComplete(let line):
            connection.deadline = now + Self.requestDeadlineMilliseconds
            if case .waiting = connection.answer(with: answer(to: line)) { return true }
            return false
        }
    }

    private func answer(to line: [UInt8]) -> [UInt8] {
        if let request = try? JSONDecoder().decode(ControlRequest.self, from: Data(line)) { return respond(request) }
        let failure = ControlFailure(error: "not a control request (protocol v\(ControlProtocol.version)): send one JSON line like {\"command\":\"status\"}")
        return (try? Array(JSONEncoder().encode(failure))) ?? []
    }

    /// Too many connections: the client is told why instead of waiting for nothing (said once in the log
    /// per 100 refusals, so a flood does not flood the journal).
    private func refuse(_ client: Int32) {
        defer { close(client) }
        let failure = ControlFailure(
            error: "plantgated already serves \(Self.maximumClients) control connections; close idle ones "
                + "(a stuck status or watch, a script that connects and says nothing) and try again")
        var connection = ControlConnection(fd: client, deadline: 0)
        _ = connection.answer(with: (try? Array(JSONEncoder().encode(failure))) ?? [])
        if refusals.add(1, ordering: .relaxed).oldValue % 100 == 0 {
            logger.warning("control socket: refused a client, \(Self.maximumClients) connections are open already")
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
