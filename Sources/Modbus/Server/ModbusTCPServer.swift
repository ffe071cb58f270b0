import CModbus
import Foundation
import Glibc
import ModbusProtocol
import Synchronization

/// A Modbus TCP server on libmodbus: one listener thread, one thread per connected client.
///
/// Several unit ids can sit behind one port, as behind a real Modbus TCP gateway; the handler decides
/// which ones answer. Write function codes are always refused with "illegal function".
public final class ModbusTCPServer: Sendable {
    /// The port actually bound (useful when asked for port 0).
    public let port: Int
    public let host: String
    public let statistics = ModbusServerStatistics()
    private let handler: any ModbusRequestHandler
    private let listenSocket: Int32
    private let state = Mutex<State>(State())

    private struct State {
        var clients: Set<Int32> = []
        var stopped = false
    }

    /// Binds and listens; serving starts with `start()`.
    public init(host: String = "127.0.0.1", port: Int, handler: any ModbusRequestHandler) throws(ModbusError) {
        let target = "tcp \(host):\(port)"
        let context = try ModbusContext(endpoint: .tcp(host: host, port: port))
        let (socket, code) = context.call { modbus_tcp_pi_listen($0, 32) }
        guard socket >= 0 else {
            let detail = code == EADDRINUSE
                ? "port \(port) on \(host) is already in use: stop the other program or choose another port"
                : modbusDescription(of: code)
            throw ModbusError(kind: .connectionRefused, target: target, operation: "listen", detail: detail)
        }
        // The context only served to create the socket; the socket outlives it.
        modbus_set_socket(context.handle, -1)
        // sockaddr_storage fits IPv4 and IPv6; both keep the port in network order right after the family.
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        let boundPort = withUnsafeBytes(of: &address) { UInt16($0[2]) << 8 | UInt16($0[3]) }
        self.listenSocket = socket
        self.port = Int(boundPort)
        self.host = host
        self.handler = handler
    }

    /// Starts the accept loop on its own thread.
    public func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "modbus-tcp-\(port)"
        thread.start()
    }

    /// Stops accepting, disconnects every client and closes the port.
    public func stop() {
        let clients = state.withLock { state -> Set<Int32> in
            guard !state.stopped else { return [] }
            state.stopped = true
            return state.clients
        }
        for client in clients { shutdown(client, Int32(SHUT_RDWR)) }
        shutdown(listenSocket, Int32(SHUT_RDWR))
    }

    /// Disconnects every client but keeps listening (a device rebooting its network stack).
    public func dropClients() {
        for client in state.withLock({ $0.clients }) { shutdown(client, Int32(SHUT_RDWR)) }
    }

    /// Clients connected right now.
    public var connectedClients: Int { state.withLock { $0.clients.count } }

    deinit {
        stop()
        close(listenSocket)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listenSocket, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let admitted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.clients.insert(client)
                return true
            }
            guard admitted else { close(client); return }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in serve(client) }
            thread.name = "modbus-tcp-client"
            thread.start()
        }
    }

    private func serve(_ client: Int32) {
        defer {
            _ = state.withLock { $0.clients.remove(client) }
            close(client)
        }
        guard let context = try? ModbusContext(endpoint: .tcp(host: host, port: port)) else { return }
        modbus_set_socket(context.handle, client)
        defer { modbus_set_socket(context.handle, -1) }
        guard let responder = RequestResponder(context: context, handler: handler, statistics: statistics, isTCP: true) else { return }
        var buffer = [UInt8](repeating: 0, count: Int(MODBUS_TCP_MAX_ADU_LENGTH))
        buffer.withUnsafeMutableBufferPointer { frame in
            guard let base = frame.baseAddress else { return }
            while true {
                let length = modbus_receive(context.handle, base)
                if length < 0 { return }
                if length == 0 { continue }
                if !responder.respond(to: base, length: Int(length)) { return }
            }
        }
    }
}
