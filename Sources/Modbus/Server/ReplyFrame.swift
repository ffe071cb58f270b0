import ModbusProtocol
/// Builds Modbus reply frames byte by byte, for the answers libmodbus's own `modbus_reply` cannot give
/// (malformed frames, trickled bytes). Pure; no I/O.
enum ReplyFrame {
    enum Framing {
        case tcp(transactionID: UInt16)
        case rtu
    }

    /// The PDU of a good read reply: function code, byte count, data.
    static func readPDU(functionCode: UInt8, reply: ModbusReply, count: Int) -> [UInt8] {
        switch reply {
        case .registers(let words):
            var pdu: [UInt8] = [functionCode, UInt8(truncatingIfNeeded: count * 2)]
            for index in 0..<count {
                let word = index < words.count ? words[index] : 0
                pdu.append(UInt8(word >> 8))
                pdu.append(UInt8(word & 0xFF))
            }
            return pdu
        case .bits(let bits):
            let byteCount = (count + 7) / 8
            var pdu: [UInt8] = [functionCode, UInt8(truncatingIfNeeded: byteCount)]
            for byteIndex in 0..<byteCount {
                var byte: UInt8 = 0
                for bit in 0..<8 {
                    let index = byteIndex * 8 + bit
                    if index < count, index < bits.count, bits[index] { byte |= 1 << bit }
                }
                pdu.append(byte)
            }
            return pdu
        case .exception(let code):
            return [functionCode | 0x80, code.rawValue]
        default:
            return [functionCode | 0x80, ModbusException.serverDeviceFailure.rawValue]
        }
    }

    /// Wraps a PDU in an MBAP header or an RTU address + CRC.
    static func frame(_ pdu: [UInt8], unit: UInt8, framing: Framing) -> [UInt8] {
        switch framing {
        case .tcp(let tid):
            let length = UInt16(pdu.count + 1)
            return [UInt8(tid >> 8), UInt8(tid & 0xFF), 0, 0, UInt8(length >> 8), UInt8(length & 0xFF), unit] + pdu
        case .rtu:
            let body = [unit] + pdu
            let crc = CRC16.modbus(body)
            return body + [UInt8(crc & 0xFF), UInt8(crc >> 8)]
        }
    }

    /// A deliberately malformed frame. Returns the bytes and whether to close the link afterwards.
    static func garbled(_ fault: ReplyFault, pdu: [UInt8], unit: UInt8, framing: Framing) -> (bytes: [UInt8], close: Bool) {
        switch fault {
        case .wrongTransactionID:
            if case .tcp(let tid) = framing { return (frame(pdu, unit: unit, framing: .tcp(transactionID: tid &+ 0x1111)), false) }
            return (frame(pdu, unit: unit &+ 1, framing: framing), false)
        case .wrongUnit:
            return (frame(pdu, unit: unit &+ 1, framing: framing), false)
        case .wrongFunction:
            var changed = pdu
            changed[0] = changed[0] == 3 ? 4 : 3
            return (frame(changed, unit: unit, framing: framing), false)
        case .byteCountTooLarge:
            var changed = pdu
            if changed.count > 1 { changed[1] = changed[1] &+ 2 }
            return (frame(changed, unit: unit, framing: framing), false)
        case .byteCountTooSmall:
            var changed = pdu
            if changed.count > 1 { changed[1] = changed[1] > 2 ? changed[1] - 2 : 0 }
            return (frame(changed, unit: unit, framing: framing), false)
        case .truncated, .closeMidReply:
            let whole = frame(pdu, unit: unit, framing: framing)
            return (Array(whole.prefix(max(1, whole.count / 2))), fault == .closeMidReply)
        case .trailingJunk:
            return (frame(pdu, unit: unit, framing: framing) + [0xDE, 0xAD, 0xBE, 0xEF], false)
        case .badCRC:
            var whole = frame(pdu, unit: unit, framing: framing)
            if case .rtu = framing { whole[whole.count - 1] ^= 0x5A } else if whole.count > 8 { whole[8] &+= 2 }
            return (whole, false)
        }
    }
}
