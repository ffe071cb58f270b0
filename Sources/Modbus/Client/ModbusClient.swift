import CModbus
import Glibc
import ModbusProtocol

/// A Modbus TCP or RTU client over libmodbus. Reads only: there is no write API.
///
/// Blocking: every call waits on the network or the serial line for up to the configured timeouts.
/// Not thread-safe and not Sendable: create, use and drop each client on one dedicated thread
/// (a bus poller), never on Swift's cooperative pool.
public final class ModbusClient {
    public let endpoint: ModbusEndpoint
    public private(set) var timeouts: ModbusTimeouts
    private var context: ModbusContext?
    private var currentUnit: Int32 = -1

    public init(endpoint: ModbusEndpoint, timeouts: ModbusTimeouts = ModbusTimeouts()) {
        self.endpoint = endpoint
        self.timeouts = timeouts
    }

    /// Whether a connection is open.
    public var isConnected: Bool { context != nil }

    /// Opens the TCP connection or the serial port. A TCP connect waits at most the response timeout.
    public func connect() throws(ModbusError) {
        close()
        if case .tcp(let host, let port) = endpoint, let failure = HostLookup.failure(host: host, port: port) {
            throw ModbusError(kind: .hostNotFound, endpoint: endpoint, operation: "connect", detail: failure)
        }
        let made = try ModbusContext(endpoint: endpoint)
        made.setTimeouts(timeouts)
        let (result, code) = made.call { modbus_connect($0) }
        guard result == 0 else {
            // A TCP connect nobody answers within the timeout is a black hole: host off or a firewall dropping it.
            let kind = code == ETIMEDOUT || code == EAGAIN ? ModbusError.Kind.unreachable : ModbusError.Kind(errno: code)
            let detail = kind == .unreachable && (code == ETIMEDOUT || code == EAGAIN) ? "connect timed out" : modbusDescription(of: code)
            throw ModbusError(kind: kind, endpoint: endpoint, operation: "connect", detail: detail)
        }
        context = made
        currentUnit = -1
    }

    /// Closes the link; the next read needs `connect()` first. The client closes it itself after an error
    /// that leaves the link unusable, and over TCP after a garbled reply.
    public func close() {
        context = nil
    }

    /// Changes the timeouts, also on an open link.
    public func setTimeouts(_ timeouts: ModbusTimeouts) {
        self.timeouts = timeouts
        context?.setTimeouts(timeouts)
    }

    /// Discards whatever is pending on the link, so a late reply is never taken for the next request's.
    public func flush() {
        _ = context?.call { modbus_flush($0) }
    }

    /// The file descriptor of the open link (socket or tty), for diagnostics; -1 when closed.
    public var fileDescriptor: Int32 { context.map { modbus_get_socket($0.handle) } ?? -1 }

    /// Reads `into.count` 16-bit registers from a holding or input table into caller-owned storage.
    /// Allocates nothing.
    public func readRegisters(
        _ table: RegisterTable, unit: UInt8, address: Int, into words: UnsafeMutableBufferPointer<UInt16>
    ) throws(ModbusError) {
        guard !table.isBitTable else {
            throw invalid("read \(table.rawValue) \(address)+\(words.count)", "use readBits for coils and discrete inputs")
        }
        let count = words.count
        let context = try prepare(unit: unit, operation: table, address: address, count: count)
        guard let base = words.baseAddress else { return }
        let (result, code) = context.call { handle in
            table == .holding
                ? modbus_read_registers(handle, Int32(address), Int32(count), base)
                : modbus_read_input_registers(handle, Int32(address), Int32(count), base)
        }
        try check(result, code, expected: count, table: table, unit: unit, address: address)
    }

    /// Reads `into.count` bits (coils or discrete inputs), one byte (0 or 1) per bit. Allocates nothing.
    public func readBits(
        _ table: RegisterTable, unit: UInt8, address: Int, into bits: UnsafeMutableBufferPointer<UInt8>
    ) throws(ModbusError) {
        guard table.isBitTable else {
            throw invalid("read \(table.rawValue) \(address)+\(bits.count)", "use readRegisters for holding and input registers")
        }
        let count = bits.count
        let context = try prepare(unit: unit, operation: table, address: address, count: count)
        guard let base = bits.baseAddress else { return }
        let (result, code) = context.call { handle in
            table == .coil
                ? modbus_read_bits(handle, Int32(address), Int32(count), base)
                : modbus_read_input_bits(handle, Int32(address), Int32(count), base)
        }
        try check(result, code, expected: count, table: table, unit: unit, address: address)
    }

    /// Convenience for tools and tests: reads registers into a new array.
    public func readRegisters(_ table: RegisterTable, unit: UInt8, address: Int, count: Int) throws(ModbusError) -> [UInt16] {
        var words = [UInt16](repeating: 0, count: count)
        try words.withUnsafeMutableBufferPointer { (buffer) throws(ModbusError) in
            try readRegisters(table, unit: unit, address: address, into: buffer)
        }
        return words
    }

    /// Convenience for tools and tests: reads bits into a new array.
    public func readBits(_ table: RegisterTable, unit: UInt8, address: Int, count: Int) throws(ModbusError) -> [Bool] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBufferPointer { (buffer) throws(ModbusError) in
            try readBits(table, unit: unit, address: address, into: buffer)
        }
        return bytes.map { $0 != 0 }
    }

    // MARK: - Internals

    private func prepare(unit: UInt8, operation table: RegisterTable, address: Int, count: Int) throws(ModbusError) -> ModbusContext {
        guard count >= 1, count <= table.maxPerRequest else {
            throw invalid("read \(table.rawValue) \(address)+\(count)", "count must be 1…\(table.maxPerRequest)")
        }
        guard address >= 0, address + count <= 65536 else {
            throw invalid("read \(table.rawValue) \(address)+\(count)", "addresses must lie within 0…65535")
        }
        guard let context else {
            throw ModbusError(kind: .connectionLost, endpoint: endpoint, target: target(unit), operation: "read \(table.rawValue) \(address)+\(count)", detail: "not connected")
        }
        if currentUnit != Int32(unit) {
            modbus_set_slave(context.handle, Int32(unit))
            currentUnit = Int32(unit)
        }
        return context
    }

    private func check(_ result: Int32, _ code: Int32, expected: Int, table: RegisterTable, unit: UInt8, address: Int) throws(ModbusError) {
        if result == Int32(expected) { return }
        let operation = "read \(table.rawValue) \(address)+\(expected)"
        guard result < 0 else {
            throw ModbusError(kind: .garbled(.badData), endpoint: endpoint, target: target(unit), operation: operation, detail: "got \(result) items")
        }
        let error = ModbusError(kind: ModbusError.Kind(errno: code), endpoint: endpoint, target: target(unit), operation: operation, detail: modbusDescription(of: code))
        if error.requiresReconnect {
            close()
        } else if case .garbled = error.kind, case .tcp = endpoint {
            // A TCP frame that answers another request (usually a reply that came after its timeout) means
            // the stream is out of step: a flush drops only what has arrived, and the answer to the request
            // sent meanwhile would be taken for the next one's. A new connection cannot carry stale replies.
            close()
        } else if case .exception = error.kind {
            // A well-formed exception leaves the link clean.
        } else {
            flush()
        }
        throw error
    }

    private func target(_ unit: UInt8) -> String { "\(endpoint) unit \(unit)" }

    private func invalid(_ operation: String, _ detail: String) -> ModbusError {
        ModbusError(kind: .invalidRequest, endpoint: endpoint, operation: operation, detail: detail)
    }
}
