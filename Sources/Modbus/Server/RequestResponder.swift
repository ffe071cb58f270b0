import CModbus
import Foundation
import Glibc
import ModbusProtocol

/// Answers one received request on one link: asks the handler, then replies through libmodbus
/// (`modbus_reply` / `modbus_reply_exception`) or, for faults, writes hand-built frames.
///
/// Confined to the connection's thread, like its libmodbus context.
final class RequestResponder {
    private let context: ModbusContext
    private let handler: any ModbusRequestHandler
    private let statistics: ModbusServerStatistics
    private let isTCP: Bool
    /// A full 64 Ki mapping per link (≈ 400 KB): lets `modbus_reply` answer any address.
    private let mapping: UnsafeMutablePointer<modbus_mapping_t>

    init?(context: ModbusContext, handler: any ModbusRequestHandler, statistics: ModbusServerStatistics, isTCP: Bool) {
        guard let mapping = modbus_mapping_new(65536, 65536, 65536, 65536) else { return nil }
        self.context = context
        self.handler = handler
        self.statistics = statistics
        self.isTCP = isTCP
        self.mapping = mapping
    }

    deinit { modbus_mapping_free(mapping) }

    /// Handles one request frame (header included, RTU CRC included). Returns false when the link must close.
    func respond(to frame: UnsafeMutablePointer<UInt8>, length: Int) -> Bool {
        let offset = isTCP ? 7 : 1
        guard length >= offset + 1 else { return true }
        let unit = frame[offset - 1]
        let function = frame[offset]
        let address = length >= offset + 3 ? UInt16(frame[offset + 1]) << 8 | UInt16(frame[offset + 2]) : 0
        let count = length >= offset + 5 ? UInt16(frame[offset + 3]) << 8 | UInt16(frame[offset + 4]) : 0
        statistics.record(functionCode: function)
        let request = ModbusRequest(unit: unit, functionCode: function, address: address, count: count)
        guard request.table != nil else {
            // plantgate's simulator, like a read-only meter, refuses every write.
            modbus_reply_exception(context.handle, frame, UInt32(ModbusException.illegalFunction.rawValue))
            return true
        }
        let framing: ReplyFrame.Framing = isTCP ? .tcp(transactionID: UInt16(frame[0]) << 8 | UInt16(frame[1])) : .rtu
        return send(handler.reply(to: request), request: request, frame: frame, length: length, framing: framing)
    }

    private func send(_ reply: ModbusReply, request: ModbusRequest, frame: UnsafeMutablePointer<UInt8>, length: Int, framing: ReplyFrame.Framing) -> Bool {
        switch reply {
        case .registers(let words):
            let target = request.table == .holding ? mapping.pointee.tab_registers : mapping.pointee.tab_input_registers
            if let target {
                for index in 0..<Int(request.count) where Int(request.address) + index < 65536 {
                    target[Int(request.address) + index] = index < words.count ? words[index] : 0
                }
            }
            modbus_reply(context.handle, frame, Int32(length), mapping)
        case .bits(let bits):
            let target = request.table == .coil ? mapping.pointee.tab_bits : mapping.pointee.tab_input_bits
            if let target {
                for index in 0..<Int(request.count) where Int(request.address) + index < 65536 {
                    target[Int(request.address) + index] = index < bits.count && bits[index] ? 1 : 0
                }
            }
            modbus_reply(context.handle, frame, Int32(length), mapping)
        case .exception(let code):
            modbus_reply_exception(context.handle, frame, UInt32(code.rawValue))
        case .silence:
            break
        case .disconnect:
            return !isTCP
        case .delayed(let seconds, let inner):
            Thread.sleep(forTimeInterval: seconds)
            return send(inner, request: request, frame: frame, length: length, framing: framing)
        case .trickled(let seconds, let inner):
            let pdu = ReplyFrame.readPDU(functionCode: request.functionCode, reply: inner, count: Int(request.count))
            for byte in ReplyFrame.frame(pdu, unit: request.unit, framing: framing) {
                guard write([byte]) else { return false }
                Thread.sleep(forTimeInterval: seconds)
            }
        case .garbled(let fault, let inner):
            let pdu = ReplyFrame.readPDU(functionCode: request.functionCode, reply: inner, count: Int(request.count))
            let (bytes, close) = ReplyFrame.garbled(fault, pdu: pdu, unit: request.unit, framing: framing)
            guard write(bytes) else { return false }
            return !(close && isTCP)
        }
        return true
    }

    private func write(_ bytes: [UInt8]) -> Bool {
        let fd = modbus_get_socket(context.handle)
        return bytes.withUnsafeBytes { raw in
            let sent = isTCP ? Glibc.send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL)) : Glibc.write(fd, raw.baseAddress, raw.count)
            return sent == raw.count
        }
    }
}
