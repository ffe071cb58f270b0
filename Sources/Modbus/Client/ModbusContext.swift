import CModbus
import Glibc
import ModbusProtocol

/// Owns one libmodbus context (`modbus_t *`) and frees it on deinit.
///
/// Not Sendable on purpose: libmodbus contexts are not thread-safe, so each one is confined to the
/// thread (bus poller, server connection) that created it.
final class ModbusContext {
    let handle: OpaquePointer

    /// Creates a context for the endpoint; nothing is opened yet.
    init(endpoint: ModbusEndpoint) throws(ModbusError) {
        let made: OpaquePointer?
        switch endpoint {
        case .tcp(let host, let port):
            // The protocol-independent backend resolves names and IPv6 at connect time (getaddrinfo);
            // modbus_new_tcp takes only IPv4 literals and truncates anything longer than 15 characters.
            made = modbus_new_tcp_pi(host, String(port))
        case .rtu(let serial):
            let parity = CChar(bitPattern: serial.parity.rawValue.utf8.first ?? UInt8(ascii: "N"))
            made = modbus_new_rtu(serial.device, Int32(serial.baud), parity, Int32(serial.dataBits), Int32(serial.stopBits))
        }
        let savedErrno = errno
        guard let made else {
            throw ModbusError(kind: .invalidRequest, endpoint: endpoint, operation: "create context",
                              detail: String(cString: modbus_strerror(savedErrno)))
        }
        self.handle = made
        // plantgate decides itself when to flush and reconnect; libmodbus must not sleep or reconnect behind its back.
        modbus_set_error_recovery(handle, MODBUS_ERROR_RECOVERY_NONE)
    }

    deinit {
        modbus_close(handle)
        modbus_free(handle)
    }

    func setTimeouts(_ timeouts: ModbusTimeouts) {
        let (rs, rus) = Self.split(timeouts.response)
        let (bs, bus) = Self.split(timeouts.byte)
        modbus_set_response_timeout(handle, rs, rus)
        modbus_set_byte_timeout(handle, bs, bus)
    }

    private static func split(_ seconds: Double) -> (UInt32, UInt32) {
        let clamped = max(0.001, seconds)
        let whole = clamped.rounded(.down)
        return (UInt32(whole), UInt32(((clamped - whole) * 1_000_000).rounded()))
    }

    /// Runs a libmodbus call returning -1 on failure, reading errno in the very next statement
    /// (before any ARC traffic can clobber it, as swift-nio's System.swift insists).
    @inline(__always)
    func call(_ body: (OpaquePointer) -> Int32) -> (result: Int32, errno: Int32) {
        let result = body(handle)
        let savedErrno = errno
        return (result, savedErrno)
    }
}
